// Runs the README's browser snippet, verbatim, in Debian's chromium (headless, via playwright-core)
// on the demo page of `./relay dev`, as a reader pasting it into the DevTools console would.
// Usage: node readme-test.mjs <base-url> <snippet.js>
// Prints "readme: welcome" once the snippet's socket got its welcome (the Java side then runs the
// README's curl), then "readme: event <type>" for the event and exits 0; exits 1 on failure or
// after 60 s.
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const [base, snippetFile] = process.argv.slice(2);
const snippet = readFileSync(snippetFile, "utf8");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
});
let failed = true;
try {
  const page = await (await browser.newContext()).newPage();
  page.on("pageerror", (e) => console.log(`readme: page error: ${e.message}`));
  const done = new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error("no event within 60 s")), 60_000);
    page.on("console", async (msg) => {
      const values = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => null)));
      console.log(`readme: console ${JSON.stringify(values)}`);
      const m = values[0];
      if (m && m.type === "welcome") console.log("readme: welcome");
      if (m && m.type === "event") {
        console.log(`readme: event ${m.event.type}`);
        resolve();
      }
      if (values[0] === "closed") reject(new Error(`socket closed: ${values.slice(1).join(" ")}`));
    });
  });
  await page.goto(`${base}/demo/`);
  await page.addScriptTag({ type: "module", content: snippet });
  await done;
  failed = false;
} catch (e) {
  console.log(`readme: FAILED: ${e.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
