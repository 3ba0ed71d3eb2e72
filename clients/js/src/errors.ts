/**
 * A refusal or failure reported by Relay or by the client itself. `code` is one of SPEC §5's error
 * codes (`forbidden`, `rate_limited`, `token_expired`, …) or one of the client's own:
 * `disconnected` (the connection dropped before the answer came; the request may or may not have
 * been carried out), `closed` (the client was closed), `sse_only` (publish and presence need the
 * WebSocket, and the client is on the SSE fallback).
 */
export class RelayError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message || code);
    this.name = "RelayError";
  }
}
