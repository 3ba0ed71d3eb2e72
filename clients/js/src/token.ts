/**
 * Reads a JWT's `iat`/`exp` (seconds) without checking it: the server checks; the client only
 * needs to know when to refresh. Returns undefined for anything that is not a readable JWT.
 */
export function tokenTimes(token: string): { iat?: number; exp?: number } | undefined {
  try {
    const part = token.split(".")[1];
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(json);
    return { iat: claims.iat, exp: claims.exp };
  } catch {
    return undefined;
  }
}

/**
 * When to ask for a new token, in ms from `now`, for a token that expires at `expiresAt` (ms):
 * at three quarters of the remaining time, but at least 10 s before expiry and never sooner than
 * 1 s, so a 15 s token is refreshed after 5 s and a 5 min token after 3¾ min.
 */
export function refreshDelay(expiresAt: number, now: number): number {
  const remaining = expiresAt - now;
  return Math.max(1000, Math.min(remaining * 0.75, remaining - 10_000));
}

/**
 * When a connection expires, in ms since the epoch: the server's `expiresAt` (ISO-8601, from
 * `welcome` or `refreshed`) when given, else the token's own `exp`; 0 when neither is known.
 */
export function expiresAtMillis(expiresAt: string | undefined, token: string): number {
  return expiresAt ? Date.parse(expiresAt) : (tokenTimes(token)?.exp ?? 0) * 1000;
}
