import type { Envelope } from "./types.js";
import { refreshDelay, tokenTimes } from "./token.js";

/** What the SSE link needs from the client that owns it. */
export interface SseHost {
  getToken(): Promise<string>;
  rooms(): string[];
  deliver(event: Envelope): void;
  /** Every room may have missed events: the stream began with `event: recovered-false`. */
  recoveryFailed(): void;
  /** The server took `room` out of the stream (`event: unsubscribed`, e.g. `revoked`). */
  left(room: string, reason: string): void;
  /** The server's `event: error` notice. */
  notice(code: string): void;
  opened(): void;
  dropped(): void;
}

/**
 * The one-way fallback at `GET /realtime/sse` (SPEC §14). Each connection is a new `EventSource`
 * whose URL carries the token, the rooms and `lastEventId` (the last `id:` received), so the server
 * resumes every room with no gap or says `recovered-false`; the browser's own retry (which would
 * reuse a possibly expired token) is never used: on error the source is closed and the owner
 * decides when to {@link open} again. A token is renewed by reopening before it expires.
 */
export class SseLink {
  private source?: EventSource;
  private lastEventId?: string;
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private generation = 0;

  constructor(
    private readonly url: string,
    private readonly host: SseHost,
    private readonly Source: typeof EventSource,
  ) {}

  /** True once a stream position is known, so a new stream can resume from it. */
  get resumable(): boolean {
    return this.lastEventId !== undefined;
  }

  /** Opens a new stream (closing the current one) from the last received position. */
  async open(): Promise<void> {
    const generation = ++this.generation;
    this.stop();
    const token = await this.host.getToken();
    if (generation !== this.generation) {
      return;
    }
    const rooms = this.host.rooms().map(encodeURIComponent).join(",");
    let url = `${this.url}?token=${encodeURIComponent(token)}`;
    if (rooms) url += `&rooms=${rooms}`;
    if (this.lastEventId) url += `&lastEventId=${encodeURIComponent(this.lastEventId)}`;
    const source = new this.Source(url);
    this.source = source;
    source.onopen = () => {
      this.host.opened();
      const exp = tokenTimes(token)?.exp;
      if (exp) {
        this.refreshTimer = setTimeout(() => this.open(), refreshDelay(exp * 1000, Date.now()));
      }
    };
    source.onmessage = (e: MessageEvent) => {
      if (e.lastEventId) this.lastEventId = e.lastEventId;
      const data = JSON.parse(e.data);
      this.host.deliver(data.type === "event" && data.event ? data.event : data);
    };
    source.addEventListener("recovered-false", () => this.host.recoveryFailed());
    source.addEventListener("unsubscribed", (e: MessageEvent) => {
      const { room, reason } = JSON.parse(e.data);
      this.host.left(room, reason);
    });
    source.onerror = (e: Event) => {
      // The server's named `event: error` arrives here too, as a MessageEvent with data; the
      // connection's own failures carry none.
      const data = (e as MessageEvent).data;
      if (data) {
        this.host.notice(JSON.parse(data).code);
      } else if (this.source === source) {
        this.stop();
        this.host.dropped();
      }
    };
  }

  /** Closes the stream; nothing is reported to the host afterwards until the next {@link open}. */
  stop(): void {
    clearTimeout(this.refreshTimer);
    this.source?.close();
    this.source = undefined;
  }

  close(): void {
    this.generation++;
    this.stop();
  }
}
