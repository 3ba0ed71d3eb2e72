import { Backoff } from "./backoff.js";
import { RelayError } from "./errors.js";
import { SseLink } from "./sse.js";
import { Watchdog } from "./watchdog.js";
import { Subscription } from "./subscription.js";
import { expiresAtMillis, refreshDelay } from "./token.js";
import type { ClientOptions, ConnectionState, Envelope, Member, SubscribeOptions } from "./types.js";

type Message = { type: string; [key: string]: any };
interface Pending {
  message: Message;
  sent: boolean;
  resolve: (reply: Message) => void;
  reject: (error: RelayError) => void;
}
/** A subscribe in flight: its subscription and whether it asked to resume (`since`) or could not. */
interface SubscribeRequest {
  sub: Subscription;
  resumed: boolean;
  gap: boolean;
}

/** Error codes after which a refused subscribe is retried rather than ended. */
const TRANSIENT = ["rate_limited", "unavailable"];

/**
 * A connection to Relay's JSON protocol (SPEC §5, §14) that keeps itself up: it reconnects with
 * backoff, authenticates with `{"type":"auth"}` (never in the URL), resubscribes every room with
 * `since` = the last event id received there, refreshes its token before `exp`, and falls back to
 * SSE (for good) when its first two WebSocket attempts failed before `welcome`. Not thread-safe (browsers and
 * Node run it on one event loop); callbacks run on that loop.
 */
export class RelayClient {
  private readonly subs = new Map<string, Subscription>();
  private readonly pending = new Map<string, Pending>();
  private readonly subscribing = new Map<string, SubscribeRequest>();
  private readonly listeners = new Map<string, Set<(value: any) => void>>();
  private readonly backoff: Backoff;
  private readonly wsUrl: string;
  private readonly sseUrl: string;
  private ws?: WebSocket;
  private sse?: SseLink;
  private state: ConnectionState = "disconnected";
  private failures = 0;
  private everWelcomed = false;
  private seq = 0;
  private closed = false;
  private timer?: ReturnType<typeof setTimeout>;
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private readonly watchdog: Watchdog;

  /** `url`: the gateway, as `https://host`, `wss://host` or `wss://host/realtime`. Connects at once. */
  constructor(
    url: string,
    private readonly options: ClientOptions,
  ) {
    const base = url.replace(/^ws/, "http").replace(/\/+$/, "").replace(/\/realtime$/, "");
    this.wsUrl = base.replace(/^http/, "ws") + "/realtime";
    this.sseUrl = base + "/realtime/sse";
    this.backoff = new Backoff(options.minDelay ?? 500, options.maxDelay ?? 20_000);
    this.watchdog = new Watchdog(
      options.pingInterval ?? 25_000,
      options.timeout ?? 15_000,
      () => this.ws?.send(JSON.stringify({ type: "ping" })),
      () => this.giveUp(),
    );
    this.connect();
  }

  /** Listens to `state` (`connecting|connected|disconnected`) or `error` (a {@link RelayError}). */
  on(event: "state", listener: (state: ConnectionState) => void): () => void;
  on(event: "error", listener: (error: RelayError) => void): () => void;
  on(event: string, listener: (value: any) => void): () => void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
    return () => this.listeners.get(event)!.delete(listener);
  }

  /**
   * Joins `room` now and again after every reconnect, resuming where it left off. One
   * subscription per room: subscribing to a room twice throws.
   */
  subscribe(room: string, options: SubscribeOptions): Subscription {
    if (this.subs.has(room)) throw new RelayError("invalid_message", `already subscribed to ${room}`);
    const sub = new Subscription(room, options, (s) => this.leave(s));
    this.subs.set(room, sub);
    if (this.sse && options.token) queueMicrotask(() => this.end(sub, "sse_only"));
    else if (this.sse) this.reopenSse();
    else if (this.state === "connected") this.sendSubscribe(sub);
    return sub;
  }

  /** Publishes to a joined room (scope `publish`); resolves with the event id. */
  async publish(room: string, event: string, payload: unknown): Promise<string> {
    return (await this.request({ type: "publish", room, event, payload })).id;
  }

  /** The members of a joined room (scope `presence`). */
  async presence(room: string): Promise<Member[]> {
    return (await this.request({ type: "presence", room })).members;
  }

  /**
   * Sets this user's presence state in a joined room (scope `presence` or `publish`; a JSON object
   * of at most 1 KiB; 5/s per connection). Every member with scope `presence` gets the event
   * `presence.updated` `{sub, state}`; the last state set by any of the user's connections wins.
   */
  async setPresence(room: string, state: Record<string, unknown>): Promise<void> {
    await this.request({ type: "presence.set", room, state });
  }

  /** Closes the connection for good; pending requests are rejected with `closed`. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.refreshTimer);
    this.watchdog.stop();
    this.sse?.close();
    this.ws?.close(1000);
    this.ws = undefined;
    this.rejectPending(() => true, "closed");
    this.setState("disconnected");
  }

  /**
   * Sends now if connected, otherwise at the next `welcome`. A request already sent when the
   * connection drops is rejected with `disconnected`: it may or may not have been carried out.
   */
  private request(message: Message): Promise<Message> {
    if (this.closed) return Promise.reject(new RelayError("closed"));
    if (this.sse) return Promise.reject(sseOnly(message.type));
    const ref = `r${++this.seq}`;
    message.ref = ref;
    return new Promise((resolve, reject) => {
      const entry = { message, sent: false, resolve, reject };
      this.pending.set(ref, entry);
      if (this.state === "connected") this.sendPending(entry);
    });
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.setState("connecting");
    let token: string;
    try {
      token = await this.options.getToken();
    } catch (e) {
      this.emit("error", new RelayError("unauthorized", `getToken failed: ${e}`));
      return this.retry(this.backoff.next());
    }
    if (this.closed) return;
    const Ws = this.options.WebSocket ?? WebSocket;
    const ws = new Ws(this.wsUrl);
    this.ws = ws;
    let welcomed = false;
    this.giveUp = () => {
      // Silent too long: counted like a close without a code (1006), before or after welcome.
      if (this.ws === ws) {
        this.ws = undefined;
        ws.close();
        this.dropped(1006, welcomed);
      }
    };
    this.watchdog.connecting();
    ws.onopen = () => ws.send(JSON.stringify({ type: "auth", token }));
    ws.onmessage = (e: MessageEvent) => {
      let m: Message;
      try {
        m = JSON.parse(e.data);
      } catch {
        return this.emit("error", new RelayError("invalid_message", "a frame that is not JSON"));
      }
      if (m.type === "welcome") welcomed = true;
      if (welcomed) this.watchdog.alive();
      this.handle(m, token);
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.ws === ws) {
        this.ws = undefined;
        this.dropped(e.code, welcomed);
      }
    };
  }

  /** Gives the current connection up (set per connection by {@link connect}). */
  private giveUp: () => void = () => {};

  private handle(m: Message, token: string): void {
    const request = m.ref ? this.subscribing.get(m.ref) : undefined;
    const pending = m.ref ? this.pending.get(m.ref) : undefined;
    switch (m.type) {
      case "welcome":
        return this.welcomed(m.expiresAt, token);
      case "event":
        return this.deliver(m.event);
      case "subscribed":
        if (request) {
          this.subscribing.delete(m.ref);
          request.sub.confirmed = true;
          if (request.gap || (request.resumed && m.recovered === false)) request.sub.recoveryFailed();
          if (typeof m.history === "number") request.sub.historySent(m.history);
        }
        return;
      case "unsubscribed":
        if (m.reason) this.end(this.subs.get(m.room), m.reason);
        return;
      case "error":
        if (request) {
          this.subscribing.delete(m.ref);
          if (TRANSIENT.includes(m.code)) {
            // Retried on this connection only: a reconnect resubscribes every room anyway.
            const ws = this.ws;
            const { sub } = request;
            const retry = () => ws === this.ws && this.subs.get(sub.room) === sub && this.sendSubscribe(sub);
            setTimeout(retry, this.backoff.next());
          } else {
            this.end(request.sub, m.code);
          }
        } else if (pending) {
          this.pending.delete(m.ref);
          pending.reject(new RelayError(m.code, m.message));
        } else {
          this.emit("error", new RelayError(m.code, m.message));
        }
        return;
      default:
        if (pending) {
          this.pending.delete(m.ref);
          pending.resolve(m);
        }
    }
  }

  private welcomed(expiresAt: string | undefined, token: string): void {
    this.failures = 0;
    this.everWelcomed = true;
    this.backoff.reset();
    this.setState("connected");
    this.scheduleRefresh(expiresAtMillis(expiresAt, token));
    for (const sub of this.subs.values()) this.sendSubscribe(sub);
    for (const entry of this.pending.values()) if (!entry.sent) this.sendPending(entry);
  }

  private sendSubscribe(sub: Subscription): void {
    const ref = `s${++this.seq}`;
    const message: Message = { type: "subscribe", room: sub.room, ref };
    if (sub.options.token) message.token = sub.options.token;
    if (sub.lastId) message.since = sub.lastId;
    else if (!sub.confirmed && sub.options.history) message.history = sub.options.history;
    // Joined before but no event seen since: there is no resume point, so a gap cannot be ruled out.
    this.subscribing.set(ref, { sub, resumed: !!sub.lastId, gap: sub.confirmed && !sub.lastId });
    this.ws?.send(JSON.stringify(message));
  }

  private sendPending(entry: Pending): void {
    entry.sent = true;
    this.ws?.send(JSON.stringify(entry.message));
  }

  private scheduleRefresh(expiresAt: number): void {
    clearTimeout(this.refreshTimer);
    if (!expiresAt || this.closed) return;
    this.refreshTimer = setTimeout(async () => {
      const ws = this.ws;
      try {
        const token = await this.options.getToken();
        const reply = await this.request({ type: "refresh", token });
        this.scheduleRefresh(expiresAtMillis(reply.expiresAt, token));
      } catch (e) {
        // A refused refresh: reconnect with a fresh token rather than wait for the 4008.
        if (!(e instanceof RelayError && e.code === "disconnected") && ws === this.ws) ws?.close();
      }
    }, refreshDelay(expiresAt, Date.now()));
  }

  private dropped(code: number, welcomed: boolean): void {
    clearTimeout(this.refreshTimer);
    this.watchdog.stop();
    this.subscribing.clear();
    this.rejectPending((p) => p.sent, "disconnected");
    if (this.closed) return;
    this.setState("disconnected");
    if (code === 4003 || code === 1009) {
      // Kicked by the server or a bug of ours: reconnecting would only repeat it.
      this.closed = true;
      this.rejectPending(() => true, "closed");
      this.emit("error", new RelayError(code === 4003 ? "forbidden" : "message_too_big", `closed ${code}`));
      return;
    }
    // Only a WebSocket that never worked counts toward SSE: once it has, failures mean a gateway
    // restarting or unreachable, and SSE (which cannot publish) would not help.
    if (!welcomed && !this.everWelcomed && code < 4000) this.failures++;
    const canSse = this.options.sse !== false && (this.options.EventSource ?? globalThis.EventSource);
    if (this.failures >= 2 && canSse) return this.startSse();
    this.retry(code === 4029 ? (this.options.maxDelay ?? 20_000) : this.backoff.next());
  }

  private retry(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private startSse(): void {
    this.rejectPending(() => true, "sse_only");
    this.backoff.reset();
    this.sse = new SseLink(
      this.sseUrl,
      {
        getToken: async () => this.options.getToken(),
        rooms: () => [...this.subs.keys()],
        deliver: (event) => this.deliver(event),
        recoveryFailed: () => this.subs.forEach((s) => s.recoveryFailed()),
        left: (room, reason) => this.end(this.subs.get(room), reason),
        notice: (code) => this.emit("error", new RelayError(code)),
        opened: () => {
          this.backoff.reset();
          this.setState("connected");
        },
        dropped: () => {
          this.setState("disconnected");
          this.timer = setTimeout(() => this.reopenSse(), this.backoff.next());
        },
      },
      this.options.EventSource ?? EventSource,
    );
    // The stream takes no subscription tokens (a room it may not join refuses the whole stream):
    // those subscriptions end. No room was joined over WebSocket yet, so none has a gap to report.
    this.subs.forEach((s) => s.options.token && this.end(s, "sse_only"));
    this.reopenSse();
  }

  private reopenSse(): void {
    if (this.closed || !this.sse) return;
    this.setState("connecting");
    this.sse.open().catch((e) => {
      this.emit("error", new RelayError("unauthorized", `getToken failed: ${e}`));
      this.setState("disconnected");
      this.timer = setTimeout(() => this.reopenSse(), this.backoff.next());
    });
  }

  private deliver(event: Envelope): void {
    this.subs.get(event.room)?.deliver(event);
  }

  private leave(sub: Subscription): void {
    if (this.subs.get(sub.room) !== sub) return;
    this.subs.delete(sub.room);
    if (this.sse) this.reopenSse();
    else if (this.state === "connected") {
      this.ws?.send(JSON.stringify({ type: "unsubscribe", room: sub.room }));
    }
  }

  private end(sub: Subscription | undefined, reason: string): void {
    if (sub && this.subs.get(sub.room) === sub) {
      this.subs.delete(sub.room);
      sub.close(reason);
    }
  }

  private rejectPending(which: (p: Pending) => boolean, code: string): void {
    for (const [ref, p] of this.pending) {
      if (which(p)) {
        this.pending.delete(ref);
        p.reject(new RelayError(code));
      }
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state !== state) {
      this.state = state;
      this.emit("state", state);
    }
  }

  private emit(event: string, value: unknown): void {
    this.listeners.get(event)?.forEach((l) => l(value));
  }
}

function sseOnly(type: string): RelayError {
  return new RelayError("sse_only", `${type} needs the WebSocket; this client is on the SSE fallback`);
}
