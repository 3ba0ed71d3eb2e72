// Drives Debian's chromium (headless, via playwright-core; Playwright never downloads a browser
// here) through the Planning Poker demo of `./relay dev` (Socket.IO), its live-feed page (the JS
// client on the JSON protocol) and its admin page.
// Usage: node demo-test.mjs <base-url> <admin-key> <screenshot.png>
// Exits 0 when every step passed; otherwise prints the failed step and exits 1.
import { chromium } from "playwright-core";

const [base, adminKey, screenshot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const TIMEOUT = 20_000;

function step(name) {
  console.log(`browser: ${name}`);
}

const browser = await chromium.launch({
  executablePath,
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
let failed = false;
try {
  const session = `browser-${Date.now()}`;
  const open = async (name) => {
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on("pageerror", (e) => console.log(`browser: [${name}] page error: ${e.message}`));
    await page.goto(`${base}/demo/?session=${session}`);
    await page.fill("#name", name);
    await page.click("#join");
    await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("live"));
    return page;
  };
  const voteOf = (page, name) =>
    page.locator("#votes li", { hasText: name }).locator(".value");
  const expectText = async (locator, text, what) => {
    await locator.filter({ hasText: text }).first().waitFor({ timeout: TIMEOUT }).catch(async () => {
      const seen = (await locator.allTextContents()).join(" | ");
      throw new Error(`${what}: expected "${text}", saw "${seen}"`);
    });
  };

  step("the live feed (the JS client) connects to the same session");
  const feed = await (await browser.newContext()).newPage();
  feed.setDefaultTimeout(TIMEOUT);
  feed.on("pageerror", (e) => console.log(`browser: [feed] page error: ${e.message}`));
  await feed.goto(`${base}/demo/feed.html?session=${session}`);
  await feed.waitForFunction(() => document.getElementById("state").textContent === "connected");

  step("two pages join the same session");
  const alice = await open("Alice");
  const bob = await open("Bob");

  step("Alice votes 5; Bob sees that she voted, value hidden");
  await alice.click('#cards button[data-card="5"]');
  await expectText(voteOf(bob, "Alice"), "voted", "Bob's view of Alice");
  await expectText(voteOf(alice, "Alice"), "5", "Alice's own vote");

  step("Bob votes 8; Alice sees it");
  await bob.click('#cards button[data-card="8"]');
  await expectText(voteOf(alice, "Bob"), "voted", "Alice's view of Bob");

  step("Bob reveals; both pages show both values");
  await bob.click("#reveal");
  await expectText(voteOf(alice, "Bob"), "8", "revealed Bob on Alice's page");
  await expectText(voteOf(bob, "Alice"), "5", "revealed Alice on Bob's page");
  await expectText(alice.locator("#summary"), "average 6.5", "average");
  await alice.screenshot({ path: screenshot, fullPage: true });

  step("the admin page shows the three connections (two players, the feed)");
  const admin = await (await browser.newContext()).newPage();
  admin.setDefaultTimeout(TIMEOUT);
  await admin.goto(`${base}/admin`);
  await admin.fill("#key", adminKey);
  await admin.click("#connect");
  await expectText(admin.locator("#connections"), "3", "admin connections tile");
  await admin.waitForFunction(
    () => document.querySelectorAll("#connection-rows tr").length === 3,
  );
  const subs = await admin.locator("#connection-rows tr td:nth-child(2)").allTextContents();
  if (!subs.every((s) => s.startsWith("demo-"))) throw new Error(`admin rows: ${subs}`);

  step("Alice advances; both pages move to DEMO-2 with no votes");
  await alice.click("#advance");
  for (const page of [alice, bob]) {
    await expectText(page.locator("#issue"), "DEMO-2", "issue after advance");
    await page.waitForFunction(() => document.querySelectorAll("#votes li").length === 0);
  }
  step("the live feed saw the votes, the reveal and the advance");
  for (const type of ["vote.cast", "votes.revealed", "issue.advanced"]) {
    await feed.locator(`#events li[data-type="${type}"]`).first().waitFor({ timeout: TIMEOUT });
  }
  step("all steps passed");
} catch (e) {
  failed = true;
  console.log(`browser: FAILED: ${e.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
