// Drives Debian's chromium (headless, via playwright-core; Playwright never downloads a browser
// here) through the Planning Poker demo of `./relay dev` (Socket.IO) and its live-feed page (the JS
// client on the JSON protocol): three players, two vote, one reveals, the third joins after the
// reveal and reloads; nobody receives a vote's value before the reveal.
// Usage: node demo-test.mjs <base-url> <screenshot.png>
// Exits 0 when every step passed; otherwise prints the failed step and exits 1.
import { newPage, runSteps, step, expectText } from "./harness.mjs";

const [base, screenshot] = process.argv.slice(2);

// Every Socket.IO event a page receives, from WebSocket frames and long-polling answers alike.
function recordEvents(page) {
  const events = [];
  const take = (data) => {
    for (const packet of String(data).split("\x1e")) {
      if (!packet.startsWith("42")) continue;
      const [name, envelope] = JSON.parse(packet.slice(2));
      if (name === "event") events.push(envelope);
    }
  };
  page.on("websocket", (ws) => ws.on("framereceived", ({ payload }) => take(payload)));
  page.on("response", async (res) => {
    if (res.url().includes("/socket.io/") && res.request().method() === "GET") take(await res.text().catch(() => ""));
  });
  return events;
}

await runSteps(async (browser) => {
  const session = `browser-${Date.now()}`;
  const live = (page) => page.waitForFunction(() => document.getElementById("status").textContent.startsWith("live"));
  const open = async (name) => {
    const page = await newPage(browser, name);
    const events = recordEvents(page);
    await page.goto(`${base}/demo/?session=${session}`);
    await page.fill("#name", name);
    await page.click("#join");
    await live(page);
    return { page, events };
  };
  const row = (page, name) => page.locator("#players li", { hasText: name });
  const mark = (page, name) => row(page, name).locator(".mark");
  const value = (page, name) => row(page, name).locator(".value");

  step("the live feed (the JS client) connects to the same session");
  const feed = await newPage(browser, "feed");
  await feed.goto(`${base}/demo/feed.html?session=${session}`);
  await feed.waitForFunction(() => document.getElementById("state").textContent === "connected");

  step("Alice and Bob join; each sees both at the table, by name (presence info)");
  const alice = await open("Alice");
  const bob = await open("Bob");
  await expectText(row(alice.page, "Bob"), "thinking", "Alice's view of Bob");
  await expectText(row(bob.page, "Alice"), "thinking", "Bob's view of Alice");

  step("Alice votes 5: Bob sees that she voted, not the value; she sees her own");
  await alice.page.click('#cards button[data-card="5"]');
  await expectText(mark(bob.page, "Alice"), "✓ voted", "Bob's view of Alice");
  await expectText(value(alice.page, "Alice"), "5", "Alice's own vote");
  if ((await value(bob.page, "Alice").textContent()) !== "") throw new Error("Bob sees Alice's value");

  step("Bob votes 8; Alice sees that he voted");
  await bob.page.click('#cards button[data-card="8"]');
  await expectText(mark(alice.page, "Bob"), "✓ voted", "Alice's view of Bob");

  step("no vote.cast that a page or the feed received carries a value");
  const casts = (events) => events.filter((e) => e.type === "vote.cast");
  await feed.locator('#events li[data-type="vote.cast"]').nth(1).waitFor();
  for (const [who, events] of [["Alice", alice.events], ["Bob", bob.events]]) {
    if (casts(events).length !== 2) throw new Error(`${who} received ${casts(events).length} vote.cast, not 2`);
    const leak = casts(events).find((e) => "value" in e.payload);
    if (leak) throw new Error(`${who} received a value before the reveal: ${JSON.stringify(leak)}`);
  }
  for (const text of await feed.locator('#events li[data-type="vote.cast"]').allTextContents()) {
    if (text.includes('"value"')) throw new Error(`the feed received a value before the reveal: ${text}`);
  }

  step("Bob reveals; both pages show both values");
  await bob.page.click("#reveal");
  await expectText(value(alice.page, "Bob"), "8", "revealed Bob on Alice's page");
  await expectText(value(bob.page, "Alice"), "5", "revealed Alice on Bob's page");
  await expectText(alice.page.locator("#summary"), "average 6.5", "average");

  step("Carol joins after the reveal: the revealed round (history) and the voted marks (presence)");
  const carol = await open("Carol");
  await expectText(value(carol.page, "Alice"), "5", "Alice's value on Carol's page");
  await expectText(value(carol.page, "Bob"), "8", "Bob's value on Carol's page");
  await expectText(mark(carol.page, "Alice"), "✓ voted", "Alice's mark on Carol's page");
  await expectText(mark(carol.page, "Bob"), "✓ voted", "Bob's mark on Carol's page");
  await expectText(mark(carol.page, "Carol (you)"), "no vote", "Carol's own row");
  await expectText(carol.page.locator("#summary"), "average 6.5", "average on Carol's page");
  await expectText(row(alice.page, "Carol"), "no vote", "Carol on Alice's page");
  await carol.page.screenshot({ path: screenshot, fullPage: true });

  step("Carol reloads: same name, same identity, the same three players and the revealed round");
  const carolId = await row(carol.page, "Carol (you)").getAttribute("data-participant");
  await carol.page.reload();
  await live(carol.page);
  await expectText(row(carol.page, "(you)"), "Carol (you)", "Carol's name after the reload");
  const idAfter = await row(carol.page, "Carol (you)").getAttribute("data-participant");
  if (idAfter !== carolId) throw new Error(`identity changed on reload: ${carolId} -> ${idAfter}`);
  await expectText(value(carol.page, "Bob"), "8", "the revealed round after the reload");
  await carol.page.waitForFunction(() => document.querySelectorAll("#players li").length === 3);
  await alice.page.waitForFunction(() => document.querySelectorAll("#players li").length === 3);

  step("Alice advances: every page moves to DEMO-2, nobody has voted, no value shows");
  await alice.page.click("#advance");
  for (const { page } of [alice, bob, carol]) {
    await expectText(page.locator("#issue"), "DEMO-2", "issue after advance");
    for (const name of ["Alice", "Bob", "Carol"]) await expectText(mark(page, name), "thinking", `${name} after advance`);
    await page.waitForFunction(() => [...document.querySelectorAll("#players .value")].every((v) => v.textContent === ""));
  }

  step("the live feed saw the votes, the reveal (with the values) and the advance");
  for (const type of ["vote.cast", "votes.revealed", "issue.advanced"]) {
    await feed.locator(`#events li[data-type="${type}"]`).first().waitFor();
  }
  await expectText(feed.locator('#events li[data-type="votes.revealed"]'), '"value":"8"', "the feed's reveal");
});
