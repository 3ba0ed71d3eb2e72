// Validates every manifest in infra/k8s offline:
// 1. each object against the Kubernetes JSON schema of its apiVersion/kind (kubernetes-models,
//    generated from the Kubernetes OpenAPI definitions; unknown fields are reported too);
// 2. Relay's own rules: probes on /readyz and /healthz, a preStop, a termination grace period
//    that covers preStop + the gateway's 30 s drain, HPAs and PDBs that point at a Deployment,
//    secretKeyRefs that name keys of the example Secret.
// Exits 1 on the first file with errors, after printing all of them.
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "k8s");
const errors = [];
const objects = [];

for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  const docs = parseAllDocuments(readFileSync(join(dir, file), "utf8"));
  for (const doc of docs) {
    if (doc.errors.length) errors.push(`${file}: YAML: ${doc.errors.join("; ")}`);
    const obj = doc.toJS();
    if (!obj) continue;
    if (obj.kind === "Kustomization") {
      for (const r of obj.resources ?? []) {
        if (!readdirSync(dir).includes(r)) errors.push(`${file}: resource ${r} does not exist`);
      }
      continue;
    }
    objects.push({ file, obj });
    const path = obj.apiVersion.includes("/") ? obj.apiVersion : `v1`;
    let Model;
    try {
      Model = (await import(`kubernetes-models/${path}/${obj.kind}`))[obj.kind];
    } catch (e) {
      errors.push(`${file}: no schema for ${obj.apiVersion} ${obj.kind}: ${e.message}`);
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(`ok   ${file}: ${obj.apiVersion} ${obj.kind} ${obj.metadata?.name}`);
    } catch (e) {
      errors.push(`${file}: ${obj.kind} ${obj.metadata?.name}: ${e.message}`);
    }
  }
}

const byKind = (kind) => objects.filter((o) => o.obj.kind === kind);
const secretKeys = new Set(
  byKind("Secret").flatMap((o) => Object.keys(o.obj.stringData ?? o.obj.data ?? {})),
);
const deployments = new Map(byKind("Deployment").map((o) => [o.obj.metadata.name, o.obj]));

for (const { file, obj } of byKind("Deployment")) {
  const spec = obj.spec.template.spec;
  const name = obj.metadata.name;
  for (const c of spec.containers) {
    const where = `${file}: ${name}/${c.name}`;
    if (c.readinessProbe?.httpGet?.path !== "/readyz") errors.push(`${where}: readiness must be /readyz`);
    if (c.livenessProbe?.httpGet?.path !== "/healthz") errors.push(`${where}: liveness must be /healthz`);
    const preStop = Number(c.lifecycle?.preStop?.exec?.command?.[1] ?? NaN);
    if (!(preStop > 0)) errors.push(`${where}: needs a preStop sleep so readiness propagates`);
    const drain = c.args?.includes("gateway") ? 30 : 10;
    if (!(spec.terminationGracePeriodSeconds >= preStop + drain)) {
      errors.push(`${where}: terminationGracePeriodSeconds < preStop ${preStop} + shutdown ${drain}`);
    }
    if (!c.securityContext?.readOnlyRootFilesystem || !spec.securityContext?.runAsNonRoot) {
      errors.push(`${where}: must run as non-root with a read-only root file system`);
    }
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref && !secretKeys.has(ref.key)) errors.push(`${where}: secret key ${ref.key} unknown`);
    }
  }
}
for (const { file, obj } of byKind("HorizontalPodAutoscaler")) {
  const target = obj.spec.scaleTargetRef;
  if (target.kind !== "Deployment" || !deployments.has(target.name)) {
    errors.push(`${file}: HPA ${obj.metadata.name} targets unknown ${target.kind} ${target.name}`);
  }
  if (!obj.spec.metrics.some((m) => m.resource?.name === "cpu")) errors.push(`${file}: HPA not on CPU`);
}
for (const { file, obj } of byKind("PodDisruptionBudget")) {
  const sel = obj.spec.selector.matchLabels;
  const matched = [...deployments.values()].some((d) =>
    Object.entries(sel).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
  );
  if (!matched) errors.push(`${file}: PDB ${obj.metadata.name} selects no Deployment`);
}

if (errors.length) {
  for (const e of errors) console.error(`FAIL ${e}`);
  process.exit(1);
}
console.log(`${objects.length} objects valid, Relay rules hold`);
