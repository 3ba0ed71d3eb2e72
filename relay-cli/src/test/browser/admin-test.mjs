// Drives the admin dashboard of `./relay dev` in Debian's chromium (headless, via playwright-core)
// against real players of the Planning Poker demo (stock socket.io-client): the rooms of every
// gateway, a room's members with info and state and its last events, then each action behind its
// confirm step, seen taking effect on the players' own pages.
// Usage: node admin-test.mjs <base-url> <admin-key> [screenshot.png]
// Exits 0 when every step passed; otherwise prints the failed step and exits 1.
import { newPage, runSteps, step, expectText } from "./harness.mjs";

const [base, adminKey, screenshot] = process.argv.slice(2);
await runSteps(async (browser) => {
  const session = `admin-${Date.now()}`;
  const room = `session:${session}`;
  const join = async (name) => {
    const page = await newPage(browser, name);
    await page.goto(`${base}/demo/?session=${session}`);
    await page.fill("#name", name);
    await page.click("#join");
    await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("live"));
    const id = await page.locator("#players li", { hasText: "(you)" }).getAttribute("data-participant");
    return { page, id };
  };
  const status = (player) => player.page.locator("#status");

  step("Alice, Bob, Carol and Dave join a session; Alice votes");
  const alice = await join("Alice");
  const bob = await join("Bob");
  const carol = await join("Carol");
  const dave = await join("Dave");
  await alice.page.click('#cards button[data-card="5"]');
  await expectText(bob.page.locator("#players li", { hasText: "Alice" }), "✓ voted", "Alice's vote on Bob's page");

  step("the admin signs in and finds the room among every gateway's rooms, with 4 members");
  const admin = await newPage(browser, "admin", { width: 1300, height: 900 });
  await admin.goto(`${base}/admin`);
  await admin.fill("#key", adminKey);
  await admin.click("#connect");
  await admin.fill("#prefix", "session:admin-");
  await admin.click("#rooms-form button");
  const roomRow = admin.locator("#cluster-rows tr", { hasText: room });
  await expectText(roomRow, "4", "the room's member count");

  step("the room shows its members with info and state, and its last events");
  await roomRow.locator("button.room").click();
  const member = (player) => admin.locator("#member-rows tr", { hasText: player.id });
  await expectText(member(alice), '{"name":"Alice"}', "Alice's info");
  await expectText(member(alice), '"voted":true', "Alice's state");
  await expectText(member(bob), '{"name":"Bob"}', "Bob's info");
  await expectText(admin.locator("#events li"), "vote.cast", "the room's last events");
  if (screenshot) await admin.screenshot({ path: screenshot, fullPage: true });

  step("removing Bob from the room asks first; Cancel leaves him in");
  const memberAction = (player, action) => admin.locator(`#member-rows button[data-action="${action}"][data-sub="${player.id}"]`);
  await memberAction(bob, "unsubscribe").click();
  await expectText(admin.locator("#confirm-text"), `Remove ${bob.id} from ${room}?`, "the confirm step");
  await admin.click("#confirm-cancel");
  await expectText(admin.locator("#cluster-rows tr", { hasText: room }), "4", "members after Cancel");
  if (!(await status(bob).textContent()).startsWith("live")) throw new Error("Cancel removed Bob");

  step("Confirm removes him: his page is told, the member list drops him");
  await memberAction(bob, "unsubscribe").click();
  await admin.click("#confirm-ok");
  await expectText(admin.locator("#result"), `Remove ${bob.id} from ${room}: done`, "the result");
  await expectText(status(bob), "an operator removed you from this session", "Bob's page");
  await admin.waitForFunction((id) => ![...document.querySelectorAll("#member-rows tr")].some((tr) => tr.textContent.includes(id)), bob.id);

  step("disconnecting Alice closes her connection (her page says so and does not reconnect)");
  await memberAction(alice, "disconnect").click();
  await expectText(admin.locator("#confirm-text"), `Disconnect ${alice.id}?`, "the confirm step");
  await admin.click("#confirm-ok");
  await expectText(admin.locator("#result"), `Disconnect ${alice.id}: done`, "the result");
  await expectText(status(alice), "disconnected by the server (forbidden)", "Alice's page");

  step("revoking Carol's token from the connections table closes her connection");
  await admin.locator("#connection-rows tr", { hasText: carol.id }).locator('button[data-action="revoke"]').click();
  await expectText(admin.locator("#confirm-text"), "Revoke token", "the confirm step");
  await admin.click("#confirm-ok");
  await expectText(admin.locator("#result"), "done (HTTP 202)", "the result");
  await expectText(status(carol), "disconnected by the server (", "Carol's page after the revocation");

  step("closing Dave's connection from the connections table closes it");
  await admin.locator("#connection-rows tr", { hasText: dave.id }).locator('button[data-action="close"]').click();
  await expectText(admin.locator("#confirm-text"), "Close connection", "the confirm step");
  await admin.click("#confirm-ok");
  await expectText(admin.locator("#result"), "done (HTTP 204)", "the result");
  await expectText(status(dave), "disconnected by the server (", "Dave's page after the close");

  step("a refused action says why: a revocation without exp");
  await admin.fill("#revoke-jti", "some-jti");
  await admin.fill("#revoke-exp", "");
  await admin.click("#revoke");
  await admin.click("#confirm-ok");
  await expectText(admin.locator("#result"), "failed", "the refused revocation");
  await expectText(admin.locator("#result"), "field exp, HTTP 400", "the refused revocation names the field");
});
