// What the page tests share: Debian's chromium launched headless through playwright-core (which
// never downloads a browser here), pages that log their errors, steps and text waits that say what
// they expected and what they saw.
import { chromium } from "playwright-core";

export const TIMEOUT = 20_000;

export function step(name) {
  console.log(`browser: ${name}`);
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A page in a context of its own (its own storage, like another browser), named in the log. */
export async function newPage(browser, name, viewport = { width: 900, height: 640 }) {
  const page = await (await browser.newContext({ viewport })).newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (e) => console.log(`browser: [${name}] page error: ${e.message}`));
  return page;
}

/** Waits until one of the elements of `locator` contains `text`; fails saying what it saw. */
export async function expectText(locator, text, what) {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: TIMEOUT }).catch(async () => {
    const seen = (await locator.allTextContents()).join(" | ");
    throw new Error(`${what}: expected "${text}", saw "${seen}"`);
  });
}

/**
 * Launches chromium, runs `steps(browser)`, then prints "all steps passed" or the failure, closes
 * the browser and exits (0 or 1).
 */
export async function runSteps(steps) {
  const browser = await launch();
  let failed = false;
  try {
    await steps(browser);
    step("all steps passed");
  } catch (e) {
    failed = true;
    console.log(`browser: FAILED: ${e.message}`);
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
}
