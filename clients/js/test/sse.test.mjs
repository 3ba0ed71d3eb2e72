// The SSE fallback (SPEC §14) over fake WebSocket and EventSource implementations.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { RelayClient } from "../dist/index.js";
import { FakeEventSource, FakeWebSocket, envelope, jwt, until } from "./fakes.mjs";

let tokens;
beforeEach(() => {
  FakeWebSocket.reset();
  FakeEventSource.reset();
  tokens = 0;
});

function client() {
  return new RelayClient("wss://relay.test/realtime", {
    getToken: () => `token-${++tokens}`,
    WebSocket: FakeWebSocket,
    EventSource: FakeEventSource,
    minDelay: 1,
    maxDelay: 4,
  });
}

async function blockWebSocketTwice() {
  await until(() => FakeWebSocket.all.length === 1, "first attempt");
  FakeWebSocket.last.drop(1006);
  await until(() => FakeWebSocket.all.length === 2, "second attempt");
  FakeWebSocket.last.drop(1006);
  await until(() => FakeEventSource.all.length === 1, "an EventSource");
  return FakeEventSource.last;
}

test("two WebSocket failures in a row switch to SSE with the token and the rooms", async () => {
  const relay = client();
  const got = [];
  relay.subscribe("team:1", { onEvent: (e) => got.push(e.id) });
  relay.subscribe("task:a b", { onEvent: (e) => got.push(e.id) });
  const closed = [];
  relay.subscribe("task:9", { token: "sub-token", onEvent() {}, onClose: (r) => closed.push(r) });
  const source = await blockWebSocketTwice();
  assert.deepEqual(closed, ["sse_only"], "the stream takes no subscription tokens");
  assert.equal(source.url.origin + source.url.pathname, "https://relay.test/realtime/sse");
  assert.equal(source.url.searchParams.get("token"), "token-3");
  assert.equal(source.url.searchParams.get("rooms"), "team:1,task:a b");
  assert.equal(source.url.searchParams.get("lastEventId"), null);
  source.open();
  source.message("p1", envelope("team:1", "e1"));
  source.message("p2", { type: "event", event: envelope("task:a b", "e2") });
  assert.deepEqual(got, ["e1", "e2"]);
  await assert.rejects(relay.publish("team:1", "task.created", {}), (e) => e.code === "sse_only");
  await assert.rejects(relay.presence("team:1"), (e) => e.code === "sse_only");
  relay.close();
  assert.ok(source.closed);
});

test("once a WebSocket worked, failures (a gateway restarting) never switch to SSE", async () => {
  const relay = client();
  await until(() => FakeWebSocket.all.length === 1, "first attempt");
  FakeWebSocket.last.open();
  FakeWebSocket.last.receive({ type: "welcome", rooms: [] });
  FakeWebSocket.last.drop(1006);
  for (let attempt = 2; attempt <= 4; attempt++) {
    await until(() => FakeWebSocket.all.length === attempt, `attempt ${attempt}`);
    FakeWebSocket.last.drop(1006);
  }
  await until(() => FakeWebSocket.all.length === 5, "fifth attempt");
  assert.equal(FakeEventSource.all.length, 0);
  relay.close();
});

test("a dropped stream is reopened with lastEventId and a fresh token", async () => {
  const relay = client();
  relay.subscribe("team:1", { onEvent() {} });
  const source = await blockWebSocketTwice();
  source.open();
  source.message("pos-9", envelope("team:1", "e9"));
  source.fail();
  assert.ok(source.closed, "the browser's own retry is not used");
  await until(() => FakeEventSource.all.length === 2, "a new EventSource");
  const again = FakeEventSource.last;
  assert.equal(again.url.searchParams.get("lastEventId"), "pos-9");
  assert.equal(again.url.searchParams.get("token"), "token-4");
  relay.close();
});

test("a stream that starts with recovered-false reports onRecoveryFailed to every room", async () => {
  const relay = client();
  const failed = [];
  relay.subscribe("team:1", { onEvent() {}, onRecoveryFailed: (r) => failed.push(r) });
  relay.subscribe("team:2", { onEvent() {}, onRecoveryFailed: (r) => failed.push(r) });
  const source = await blockWebSocketTwice();
  source.open();
  assert.deepEqual(failed, []);
  source.named("recovered-false");
  assert.deepEqual(failed, ["team:1", "team:2"]);
  relay.close();
});

test("subscribing on SSE reopens the stream with the new room and the last position", async () => {
  const relay = client();
  relay.subscribe("team:1", { onEvent() {} });
  const source = await blockWebSocketTwice();
  source.open();
  source.message("pos-3", envelope("team:1", "e3"));
  relay.subscribe("team:2", { onEvent() {} });
  await until(() => FakeEventSource.all.length === 2, "a new EventSource");
  assert.ok(source.closed);
  assert.equal(FakeEventSource.last.url.searchParams.get("rooms"), "team:1,team:2");
  assert.equal(FakeEventSource.last.url.searchParams.get("lastEventId"), "pos-3");
  relay.close();
});

test("an SSE token is renewed by reopening before exp", async () => {
  FakeWebSocket.reset();
  const now = Math.floor(Date.now() / 1000);
  const relay = new RelayClient("https://relay.test", {
    getToken: () => jwt({ sub: "u", iat: now, exp: now + 1, n: ++tokens }),
    WebSocket: FakeWebSocket,
    EventSource: FakeEventSource,
    minDelay: 1,
    maxDelay: 4,
  });
  const source = await blockWebSocketTwice();
  source.open();
  source.message("pos-1", envelope("team:1", "e1"));
  await until(() => FakeEventSource.all.length === 2, "a renewal", 3000);
  assert.ok(source.closed);
  assert.equal(FakeEventSource.last.url.searchParams.get("lastEventId"), "pos-1");
  relay.close();
});

test("the stream's unsubscribed ends that subscription; its error notice is reported, not a drop", async () => {
  const relay = client();
  const closed = [];
  const errors = [];
  relay.on("error", (e) => errors.push(e.code));
  relay.subscribe("team:1", { onEvent() {}, onClose: (r) => closed.push(`team:1 ${r}`) });
  relay.subscribe("team:2", { onEvent() {} });
  const source = await blockWebSocketTwice();
  source.open();
  source.named("unsubscribed", { room: "team:1", reason: "revoked" });
  source.named("error", { code: "rate_limited" });
  assert.deepEqual(closed, ["team:1 revoked"]);
  assert.deepEqual(errors, ["rate_limited"]);
  assert.ok(!source.closed, "a notice does not end the stream");
  source.fail();
  await until(() => FakeEventSource.all.length === 2, "a new EventSource");
  assert.equal(FakeEventSource.last.url.searchParams.get("rooms"), "team:2", "the revoked room is not asked again");
  relay.close();
});
