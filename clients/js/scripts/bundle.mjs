// Bundles src/ into the published ES module (dist/index.js) and checks the size budget of
// SPEC §14: the minified bundle must stay within 6 KB (6144 bytes) once gzipped. Fails the build
// (exit 1) when it does not, printing the size either way.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";

const BUDGET = 6144;
const common = { entryPoints: ["src/index.ts"], bundle: true, format: "esm", target: "es2020" };

await build({ ...common, outfile: "dist/index.js" });
const min = await build({ ...common, minify: true, write: false });
const size = gzipSync(min.outputFiles[0].contents, { level: 9 }).length;
console.log(`size: ${size} bytes min+gzip (budget ${BUDGET})`);
if (size > BUDGET) {
  console.error(`size budget exceeded: ${size} > ${BUDGET} bytes min+gzip`);
  process.exit(1);
}
