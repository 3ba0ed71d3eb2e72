// RelayClient over a fake WebSocket: the JSON protocol as SPEC §5 and §14 describe it.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { RelayClient, RelayError } from "../dist/index.js";
import { FakeWebSocket, envelope, jwt, until } from "./fakes.mjs";

let tokens;
beforeEach(() => {
  FakeWebSocket.reset();
  tokens = 0;
});

function client(extra = {}) {
  return new RelayClient("https://relay.test", {
    getToken: () => `token-${++tokens}`,
    WebSocket: FakeWebSocket,
    EventSource: undefined,
    sse: false,
    minDelay: 1,
    maxDelay: 4,
    ...extra,
  });
}

async function connected(relay, welcome = {}) {
  await until(() => FakeWebSocket.last, "a socket");
  const ws = FakeWebSocket.last;
  ws.open();
  ws.receive({ type: "welcome", connectionId: "c", sub: "u", rooms: [], ...welcome });
  return ws;
}

function subscribedReply(ws, room, recovered = false) {
  const request = ws.sentOfType("subscribe").filter((m) => m.room === room).at(-1);
  ws.receive({ type: "subscribed", room, recovered, ref: request.ref });
  return request;
}

test("authenticates with the first message, never in the URL, and reports its states", async () => {
  const states = [];
  const relay = client();
  relay.on("state", (s) => states.push(s));
  const ws = await connected(relay);
  assert.equal(ws.url, "wss://relay.test/realtime");
  assert.ok(!ws.url.includes("token"));
  assert.deepEqual(ws.sent[0], { type: "auth", token: "token-1" });
  relay.close();
  assert.deepEqual(states, ["connected", "disconnected"]);
  assert.equal(ws.closedWith, 1000);
});

test("delivers each event of a subscribed room once, and nothing of other rooms", async () => {
  const relay = client();
  const ws = await connected(relay);
  const got = [];
  relay.subscribe("team:42", { onEvent: (e) => got.push(e.id), history: 5 });
  const request = subscribedReply(ws, "team:42");
  assert.equal(request.history, 5);
  assert.equal(request.since, undefined);
  ws.receive({ type: "event", event: envelope("team:42", "1") });
  ws.receive({ type: "event", event: envelope("team:42", "1") });
  ws.receive({ type: "event", event: envelope("team:9", "x") });
  ws.receive({ type: "event", event: envelope("team:42", "2") });
  assert.deepEqual(got, ["1", "2"]);
  relay.close();
});

test("a message.snapshot is delivered although its id repeats one, and is not the resume point", async () => {
  const relay = client();
  const ws = await connected(relay);
  const got = [];
  relay.subscribe("conversation:7", { onEvent: (e) => got.push(`${e.type} ${e.id}`) });
  subscribedReply(ws, "conversation:7");
  ws.receive({ type: "event", event: envelope("conversation:7", "1", "message.completed") });
  ws.receive({ type: "event", event: envelope("conversation:7", "1", "message.snapshot") });
  ws.receive({ type: "event", event: envelope("conversation:7", "2", "message.delta") });
  assert.deepEqual(got, ["message.completed 1", "message.snapshot 1", "message.delta 2"]);
  relay.close();
});

test("reports the history count the server sends, then delivers those events first", async () => {
  const relay = client();
  const ws = await connected(relay);
  const got = [];
  const counts = [];
  relay.subscribe("team:42", { onEvent: (e) => got.push(e.id), history: 5, onHistory: (n) => counts.push(n) });
  const request = ws.sentOfType("subscribe").at(-1);
  ws.receive({ type: "subscribed", room: "team:42", recovered: false, history: 2, ref: request.ref });
  ws.receive({ type: "event", event: envelope("team:42", "h1") });
  ws.receive({ type: "event", event: envelope("team:42", "h2") });
  assert.deepEqual(counts, [2]);
  assert.deepEqual(got, ["h1", "h2"]);
  relay.close();
});

test("resumes every room with since = its last id after a drop, with a fresh token", async () => {
  const relay = client();
  const ws = await connected(relay);
  const failed = [];
  const options = (room) => ({ onEvent() {}, onRecoveryFailed: (r) => failed.push(r) });
  relay.subscribe("team:1", options("team:1"));
  relay.subscribe("team:2", options("team:2"));
  subscribedReply(ws, "team:1");
  subscribedReply(ws, "team:2");
  ws.receive({ type: "event", event: envelope("team:1", "a7") });
  ws.receive({ type: "event", event: envelope("team:2", "b3") });
  ws.drop(1001);

  await until(() => FakeWebSocket.all.length === 2, "a reconnect");
  const again = await connected(relay);
  assert.deepEqual(again.sent[0], { type: "auth", token: "token-2" });
  const resubscribes = again.sentOfType("subscribe");
  assert.deepEqual(
    resubscribes.map((m) => [m.room, m.since, m.history]),
    [["team:1", "a7", undefined], ["team:2", "b3", undefined]],
  );
  subscribedReply(again, "team:1", true);
  subscribedReply(again, "team:2", false);
  assert.deepEqual(failed, ["team:2"]);
  relay.close();
});

test("a room joined before but with no event seen cannot be resumed: onRecoveryFailed", async () => {
  const relay = client();
  const ws = await connected(relay);
  const failed = [];
  relay.subscribe("team:1", { onEvent() {}, history: 3, onRecoveryFailed: (r) => failed.push(r) });
  subscribedReply(ws, "team:1");
  ws.drop();
  await until(() => FakeWebSocket.all.length === 2, "a reconnect");
  const again = await connected(relay);
  const request = subscribedReply(again, "team:1", false);
  assert.equal(request.history, undefined, "history is asked only on the first join");
  assert.deepEqual(failed, ["team:1"]);
  relay.close();
});

test("publish and presence settle on the reply with their ref; errors reject with the code", async () => {
  const relay = client();
  const early = relay.publish("conversation:7", "message.created", { content: "hi" });
  const ws = await connected(relay);
  const [publish] = ws.sentOfType("publish");
  assert.deepEqual(
    { ...publish, ref: undefined },
    { type: "publish", room: "conversation:7", event: "message.created", payload: { content: "hi" }, ref: undefined },
  );
  const presence = relay.presence("team:1");
  const refused = relay.publish("team:2", "task.created", {});
  const [, forbidden] = ws.sentOfType("publish");
  const [who] = ws.sentOfType("presence");
  ws.receive({ type: "error", code: "forbidden", message: "no", ref: forbidden.ref });
  ws.receive({ type: "presence", room: "team:1", members: [{ sub: "u", joinedAt: "t" }], ref: who.ref });
  ws.receive({ type: "ack", id: "e-1", ref: publish.ref });
  assert.equal(await early, "e-1");
  assert.deepEqual(await presence, [{ sub: "u", joinedAt: "t" }]);
  await assert.rejects(refused, (e) => e instanceof RelayError && e.code === "forbidden");
  relay.close();
});

test("setPresence sends presence.set and settles on the ack with its ref", async () => {
  const relay = client();
  const ws = await connected(relay);
  const set = relay.setPresence("team:1", { voted: true });
  const [request] = ws.sentOfType("presence.set");
  assert.deepEqual({ ...request, ref: undefined }, { type: "presence.set", room: "team:1", state: { voted: true }, ref: undefined });
  ws.receive({ type: "ack", ref: request.ref });
  assert.equal(await set, undefined);
  const flood = relay.setPresence("team:1", { voted: false });
  ws.receive({ type: "error", code: "rate_limited", message: "too many", ref: ws.sentOfType("presence.set")[1].ref });
  await assert.rejects(flood, (e) => e instanceof RelayError && e.code === "rate_limited");
  relay.close();
});

test("a request in flight when the connection drops is rejected with disconnected", async () => {
  const relay = client();
  const ws = await connected(relay);
  const publish = relay.publish("team:1", "task.created", {});
  ws.drop();
  await assert.rejects(publish, (e) => e.code === "disconnected");
  relay.close();
  await assert.rejects(relay.presence("team:1"), (e) => e.code === "closed");
});

test("refreshes the token before exp on the same connection", async () => {
  const relay = client();
  const ws = await connected(relay, { expiresAt: new Date(Date.now() + 1200).toISOString() });
  await until(() => ws.sentOfType("refresh").length === 1, "a refresh", 4000);
  const [refresh] = ws.sentOfType("refresh");
  assert.equal(refresh.token, "token-2");
  ws.receive({ type: "refreshed", expiresAt: new Date(Date.now() + 60_000).toISOString(), ref: refresh.ref });
  assert.equal(FakeWebSocket.all.length, 1, "no reconnect");
  relay.close();
});

test("a refused refresh reconnects with a fresh token", async () => {
  const relay = client();
  const ws = await connected(relay, { expiresAt: new Date(Date.now() + 1100).toISOString() });
  await until(() => ws.sentOfType("refresh").length === 1, "a refresh", 4000);
  ws.receive({ type: "error", code: "unauthorized", ref: ws.sentOfType("refresh")[0].ref });
  await until(() => FakeWebSocket.all.length === 2, "a reconnect");
  FakeWebSocket.last.open();
  assert.deepEqual(FakeWebSocket.last.sent[0], { type: "auth", token: "token-3" });
  relay.close();
});

test("token_expired (4008) reconnects with a new token", async () => {
  const relay = client();
  const ws = await connected(relay);
  ws.drop(4008);
  await until(() => FakeWebSocket.all.length === 2, "a reconnect");
  FakeWebSocket.last.open();
  assert.deepEqual(FakeWebSocket.last.sent[0], { type: "auth", token: "token-2" });
  relay.close();
});

test("a server-ended subscription calls onClose and is not rejoined", async () => {
  const relay = client();
  const ws = await connected(relay);
  const closed = [];
  relay.subscribe("team:1", { onEvent() {}, onClose: (r) => closed.push(`team:1 ${r}`) });
  relay.subscribe("team:2", { onEvent() {}, onClose: (r) => closed.push(`team:2 ${r}`) });
  subscribedReply(ws, "team:1");
  const request = ws.sentOfType("subscribe").find((m) => m.room === "team:2");
  ws.receive({ type: "error", code: "forbidden", ref: request.ref });
  ws.receive({ type: "unsubscribed", room: "team:1", reason: "revoked" });
  assert.deepEqual(closed, ["team:2 forbidden", "team:1 revoked"]);
  ws.drop();
  await until(() => FakeWebSocket.all.length === 2, "a reconnect");
  const again = await connected(relay);
  assert.deepEqual(again.sentOfType("subscribe"), []);
  relay.close();
});

test("a subscribe refused for rate reasons is retried on the same connection", async () => {
  const relay = client();
  const ws = await connected(relay);
  const closed = [];
  relay.subscribe("team:1", { onEvent() {}, onClose: (r) => closed.push(r) });
  const [first] = ws.sentOfType("subscribe");
  ws.receive({ type: "error", code: "rate_limited", ref: first.ref });
  await until(() => ws.sentOfType("subscribe").length === 2, "a retry");
  subscribedReply(ws, "team:1");
  assert.deepEqual(closed, []);
  relay.subscribe("team:2", { onEvent() {} }).unsubscribe();
  const [, , gone] = ws.sentOfType("subscribe");
  ws.receive({ type: "error", code: "rate_limited", ref: gone.ref });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(ws.sentOfType("subscribe").length, 3, "no retry for a room left meanwhile");
  relay.close();
});

test("the app's unsubscribe leaves the room and ends delivery", async () => {
  const relay = client();
  const ws = await connected(relay);
  const got = [];
  const sub = relay.subscribe("team:1", { onEvent: (e) => got.push(e.id) });
  sub.unsubscribe();
  ws.receive({ type: "event", event: envelope("team:1", "1") });
  assert.deepEqual(ws.sentOfType("unsubscribe"), [{ type: "unsubscribe", room: "team:1" }]);
  assert.deepEqual(got, []);
  assert.throws(() => {
    relay.subscribe("team:2", { onEvent() {} });
    relay.subscribe("team:2", { onEvent() {} });
  }, RelayError);
  relay.close();
});

test("a forbidden close (4003) stops reconnecting and reports an error", async () => {
  const relay = client();
  const errors = [];
  relay.on("error", (e) => errors.push(e.code));
  const ws = await connected(relay);
  ws.drop(4003);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(FakeWebSocket.all.length, 1);
  assert.deepEqual(errors, ["forbidden"]);
});

test("a connection silent after a ping, or with no welcome in time, is given up and replaced", async () => {
  const relay = client({ pingInterval: 30, timeout: 60 });
  const ws = await connected(relay);
  await until(() => ws.sentOfType("ping").length === 1, "a ping");
  ws.receive({ type: "pong" });
  await until(() => ws.sentOfType("ping").length === 2, "a second ping after the pong");
  await until(() => FakeWebSocket.all.length === 2, "a reconnect after an unanswered ping");
  assert.equal(ws.closedWith, 1005);
  const stuck = FakeWebSocket.last;
  stuck.open(); // upgraded, but the welcome never comes
  await until(() => FakeWebSocket.all.length === 3, "a reconnect after no welcome");
  assert.equal(stuck.closedWith, 1005);
  relay.close();
});

test("a frame that is not JSON is reported and changes nothing else", async () => {
  const relay = client();
  const errors = [];
  relay.on("error", (e) => errors.push(e.code));
  const ws = await connected(relay);
  ws.onmessage({ data: "not json" });
  assert.deepEqual(errors, ["invalid_message"]);
  const presence = relay.presence("team:1");
  ws.receive({ type: "presence", members: [], ref: ws.sentOfType("presence")[0].ref });
  assert.deepEqual(await presence, []);
  relay.close();
});
