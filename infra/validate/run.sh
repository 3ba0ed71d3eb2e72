#!/usr/bin/env bash
# Offline checks of infra/ on a machine without a Docker engine or a Kubernetes cluster.
# Needs: node/npm (npm packages below), and from Debian: nginx-light, docker-compose, yamllint.
# Prints one line per check and exits non-zero if any fails. docs/deploy.md lists what this does
# NOT prove.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
INFRA="$(dirname "$HERE")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
failed=0
check() {
  local name="$1"
  shift
  if "$@" >"$WORK/out" 2>&1; then echo "ok   $name"; else echo "FAIL $name"; cat "$WORK/out"; failed=1; fi
}

[ -d "$HERE/node_modules" ] || (cd "$HERE" && npm install --no-audit --no-fund --silent)

# nginx -t resolves upstream host names at load time: map the compose service names to loopback
# addresses in a copy of the config (the routing logic is unchanged).
sed -e 's/publish-api:8080/127.0.0.1:18901/; s/gateway-1:8081/127.0.0.2:18902/g' \
    -e 's/gateway-2:8081/127.0.0.3:18903/g; s/listen 8080;/listen 127.0.0.1:18900;/' \
    "$INFRA/nginx.conf" >"$WORK/nginx.conf"
check "nginx -t (Debian nginx $(nginx -v 2>&1 | cut -d/ -f2))" \
  nginx -t -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" -g "pid $WORK/nginx.pid;"

cp "$INFRA/.env.example" "$INFRA/.env.validate"
check "docker-compose config ($(docker-compose version --short 2>/dev/null))" \
  docker-compose -f "$INFRA/docker-compose.yml" --env-file "$INFRA/.env.validate" config -q
rm -f "$INFRA/.env.validate"

check "yamllint" yamllint -d '{extends: default, rules: {line-length: {max: 120},
  document-start: disable, truthy: {check-keys: false}, braces: {max-spaces-inside: 1}}}' \
  "$INFRA/docker-compose.yml" "$INFRA/k8s" "$INFRA/render/render.yaml"

check "Kubernetes schemas + Relay rules (kubernetes-models)" node "$HERE/validate-k8s.mjs"

check "fly.toml parses" python3 -c 'import sys, tomllib
for f in sys.argv[1:]: tomllib.load(open(f, "rb"))' "$INFRA"/fly/*.toml

# dockerfilelint 1.8.0 predates HEALTHCHECK --start-period and reports it as "Invalid Argument
# Format"; that one finding is expected, anything else fails.
lint_dockerfile() {
  "$HERE/node_modules/.bin/dockerfilelint" -o json "$INFRA/Dockerfile" >"$WORK/lint.json" || true
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const issues = r.files.flatMap((f) => f.issues);
    const other = issues.filter((i) => !(i.title === "Invalid Argument Format" && /HEALTHCHECK/.test(i.content)));
    for (const i of issues) console.log(`line ${i.line}: ${i.title}: ${i.content}`);
    process.exit(other.length ? 1 : 0);' "$WORK/lint.json"
}
check "dockerfilelint (only the known --start-period false positive allowed)" lint_dockerfile

exit $failed
