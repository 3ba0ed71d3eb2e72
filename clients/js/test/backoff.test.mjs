// Reconnect delays and refresh timing, and the package version following the product's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { build } from "esbuild";

const { Backoff, refreshDelay } = await import(
  "data:text/javascript;base64," +
    Buffer.from(
      (
        await build({
          stdin: { contents: 'export { Backoff } from "./src/backoff.ts"; export { refreshDelay } from "./src/token.ts";', resolveDir: ".", loader: "ts" },
          bundle: true,
          format: "esm",
          write: false,
        })
      ).outputFiles[0].text,
    ).toString("base64")
);

test("backoff doubles from 0.5 s to 20 s, jittered between half and all of each step", () => {
  const low = new Backoff(500, 20_000, () => 0);
  const high = new Backoff(500, 20_000, () => 1);
  const lows = Array.from({ length: 9 }, () => low.next());
  const highs = Array.from({ length: 9 }, () => high.next());
  assert.deepEqual(highs, [500, 1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000]);
  assert.deepEqual(lows, highs.map((d) => d / 2));
  high.reset();
  assert.equal(high.next(), 500);
});

test("a token is refreshed at 3/4 of its remaining time, at least 10 s before exp", () => {
  assert.equal(refreshDelay(300_000, 0), 225_000);
  assert.equal(refreshDelay(15_000, 0), 5_000);
  assert.equal(refreshDelay(5_000, 0), 1_000);
});

test("the package version follows the product's Maven version", () => {
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  const pom = readFileSync("../../pom.xml", "utf8");
  const version = pom.match(/<artifactId>relay-parent<\/artifactId>\s*<version>([^<]+)<\/version>/)[1];
  assert.equal(pkg.version, version.toLowerCase());
});
