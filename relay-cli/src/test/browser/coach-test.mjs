// Drives Debian's chromium (headless, via playwright-core) through the AI coach demo of
// `./relay dev`: a question gets a reply streamed through POST /v1/events:stream; the page is
// reloaded while the reply is streaming, shows the text so far at once (message.snapshot) and ends
// with exactly the final text (message.completed), built from the snapshot and the later deltas.
// Usage: node coach-test.mjs <base-url> <screenshot.png>
import { chromium } from "playwright-core";

const [base, screenshot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const TIMEOUT = 20_000;
const step = (name) => console.log(`coach: ${name}`);

const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
});
let failed = false;
try {
  const page = await (await browser.newContext({ viewport: { width: 900, height: 800 } })).newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (e) => console.log(`coach: page error: ${e.message}`));
  await page.goto(`${base}/demo/coach.html?c=browser-${Date.now()}`);
  await page.waitForFunction(() => document.getElementById("status").textContent === "live");

  step("ask; the reply streams in, token by token");
  await page.fill("#question", "How big should my positions be?");
  await page.click("#ask");
  await page.waitForFunction(() => {
    const el = document.querySelector("#chat li.coach");
    return el && Number(el.dataset.seq) >= 2 && !el.dataset.final;
  });
  const before = await page.locator("#chat li.coach").getAttribute("data-text");

  step(`reload mid-answer (had ${before.length} characters)`);
  await page.reload();
  await page.waitForFunction(
    (n) => {
      const el = document.querySelector("#chat li.coach");
      return el && el.dataset.snapshot && (el.dataset.text || "").length >= n;
    },
    before.length,
    { timeout: 5_000 },
  ).catch(async () => {
    const html = await page.locator("#chat").innerHTML();
    throw new Error(`no snapshot with the partial text after the reload: ${html.slice(0, 400)}`);
  });
  const partial = await page.locator("#chat li.coach").getAttribute("data-text");
  if (!partial.startsWith(before)) throw new Error(`snapshot "${partial}" ≠ "${before}"…`);
  if (await page.locator("#chat li.user").count() !== 1) throw new Error("question not in history");

  step("the answer goes on and ends with exactly the final text");
  await page.waitForFunction(() => document.querySelector("#chat li.coach").dataset.final);
  const built = await page.locator("#chat li.coach").getAttribute("data-text");
  const final = await page.locator("#chat li.coach").getAttribute("data-final");
  const shown = await page.locator("#chat li.coach").textContent();
  if (built !== final || shown !== final || final.length < 100) {
    throw new Error(`text mismatch:\n built: ${built}\n final: ${final}\n shown: ${shown}`);
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  step("all steps passed");
} catch (e) {
  failed = true;
  console.log(`coach: FAILED: ${e.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
