/** An event as Relay delivers it (SPEC §3); `id` is opaque and ordered within its room. */
export interface Envelope {
  v: number;
  id: string;
  room: string;
  type: string;
  payload: unknown;
  issuedAt?: string;
  publishedAt?: string;
  nonce?: string;
  actor?: string;
}

export interface Member {
  sub: string;
  joinedAt: string;
  /** The `info` claim of the user's token (display name, avatar…), or null (SPEC §11). */
  info: Record<string, unknown> | null;
  /** The last state the user set with `setPresence`, or null. */
  state: Record<string, unknown> | null;
}

export type ConnectionState = "connecting" | "connected" | "disconnected";

export interface SubscribeOptions {
  /** Each event of the room, once, in order. */
  onEvent: (event: Envelope) => void;
  /** The last N (1–100) stored events, sent once when the room is first joined. */
  history?: number;
  /**
   * With `history`: how many stored events the server is sending (fewer than asked when the room
   * has fewer in retention; only those not already received live). They arrive through `onEvent`,
   * oldest first, before any later live event. Called once, on the first join.
   */
  onHistory?: (count: number) => void;
  /** A subscription token for a room the connection token does not grant. */
  token?: string;
  /**
   * Events may have been missed (the server answered `recovered:false`, or the client could not
   * ask for a resume): reload the room's state from your backend. Events keep arriving.
   */
  onRecoveryFailed?: (room: string) => void;
  /**
   * The server ended this subscription: `revoked` (a refresh no longer grants the room),
   * `removed` (server-side unsubscribe), or the error code that refused the subscribe
   * (`forbidden`, `unauthorized`, `invalid_message`, `limit_exceeded`, …), or `sse_only` for a
   * subscription token on the SSE fallback, which takes none. Never called after the
   * app's own `unsubscribe()`.
   */
  onClose?: (reason: string) => void;
}

export interface ClientOptions {
  /** Returns a fresh connection token; called before every connection and every refresh. */
  getToken: () => string | Promise<string>;
  /** Fall back to SSE after two failed WebSocket attempts in a row (default true). */
  sse?: boolean;
  /**
   * Silence in ms after which the client sends a `ping` (default 25000), and how long it waits for
   * the `welcome` or for any answer to that ping before it reconnects (default 15000).
   */
  pingInterval?: number;
  timeout?: number;
  /** First and longest reconnect delay in ms (defaults 500 and 20000). */
  minDelay?: number;
  maxDelay?: number;
  /** Implementations to use instead of the global ones (tests, non-browser runtimes). */
  WebSocket?: typeof WebSocket;
  EventSource?: typeof EventSource;
}
