// Test doubles for the browser's WebSocket and EventSource, driven by the test as "the server",
// plus a polling helper so no test sleeps for a fixed time.
export class FakeWebSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.sent = [];
    this.closedWith = undefined;
    FakeWebSocket.all.push(this);
  }
  static get last() {
    return FakeWebSocket.all[FakeWebSocket.all.length - 1];
  }
  static reset() {
    FakeWebSocket.all = [];
  }
  send(data) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1005) {
    this.closedWith = code;
    this.onclose?.({ code });
  }
  // server side
  open() {
    this.onopen?.();
  }
  receive(message) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
  sentOfType(type) {
    return this.sent.filter((m) => m.type === type);
  }
}

export class FakeEventSource {
  static all = [];
  constructor(url) {
    this.url = new URL(url);
    this.closed = false;
    this.listeners = {};
    FakeEventSource.all.push(this);
  }
  static get last() {
    return FakeEventSource.all[FakeEventSource.all.length - 1];
  }
  static reset() {
    FakeEventSource.all = [];
  }
  addEventListener(type, listener) {
    (this.listeners[type] ||= []).push(listener);
  }
  close() {
    this.closed = true;
  }
  // server side
  open() {
    this.onopen?.();
  }
  message(id, envelope) {
    this.onmessage?.({ data: JSON.stringify(envelope), lastEventId: id });
  }
  named(type, data) {
    const event = { type, data: data === undefined ? undefined : JSON.stringify(data) };
    if (type === "error") this.onerror?.(event); // as the browser does for a named "error" event
    else (this.listeners[type] || []).forEach((l) => l(event));
  }
  fail() {
    this.onerror?.({ type: "error" });
  }
}

export async function until(condition, what = "condition", timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function jwt(claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}.sig`;
}

export function envelope(room, id, type = "task.updated") {
  return { v: 1, id, room, type, payload: { n: id } };
}
