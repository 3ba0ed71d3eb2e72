// Minting a Relay connection token in your backend (Node.js 18+, no dependencies): a JWT signed
// HS256 with the first JWT_SIGNING_SECRET value (docs/tokens.md). Give it to the browser, which
// connects with io(URL, {auth: {token}}) or wss://…/realtime?token=….
//
//   JWT_SIGNING_SECRET=… node docs/examples/mint-token.js --sub acct-123 --session abc-123
'use strict';
const crypto = require('node:crypto');

const b64url = (data) => Buffer.from(data).toString('base64url');

/**
 * A connection token for `sub`. `sessionId` joins room session:<id> at connect; `rooms` lists
 * extra rooms (`kind:*` allows a whole kind, joined on request); `scope` is any of subscribe,
 * publish, presence. Lifetime ≤ 300 s unless the gateway's RELAY_TOKEN_MAX_LIFETIME allows more:
 * refresh before exp ({"type":"refresh"} / socket.emit('refresh')).
 */
function mintToken(secret, { sub, sessionId, rooms = [], scope = ['subscribe'], ttlSeconds = 300 }) {
  if (Buffer.byteLength(secret) < 32) throw new Error('JWT_SIGNING_SECRET must be ≥ 32 bytes');
  const iat = Math.floor(Date.now() / 1000);
  const claims = { sub, iat, exp: iat + ttlSeconds, jti: crypto.randomUUID(), scope };
  if (sessionId) claims.sessionId = sessionId;
  if (rooms.length) claims.rooms = rooms;
  const signingInput = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  const signature = crypto.createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

module.exports = { mintToken };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const secret = (process.env.JWT_SIGNING_SECRET || '').split(',')[0].trim();
  console.log(
    mintToken(secret, {
      sub: opt('sub', 'dev-user'),
      sessionId: opt('session'),
      rooms: (opt('rooms', '') || '').split(',').filter(Boolean),
      scope: opt('scope', 'subscribe').split(','),
      ttlSeconds: Number(opt('ttl', '300')),
    }),
  );
}
