'use strict';
// The reference peer for ./relay bench (SPEC §9): the design Relay's first users would otherwise
// deploy. Socket.IO v4 on one port with @socket.io/redis-streams-adapter on Redis, plus a
// POST /v1/events endpoint taking Relay's publish request shape (SPEC §2) and emitting the
// envelope to the room through the adapter, so the same bench drives both servers.
//
// Guarantees kept deliberately equal to what a user would write: the JWT from the handshake's
// auth.token is verified (HS256, the same secret as Relay's gateway), and the socket joins
// session:<sessionId> and every room of the `rooms` claim. No idempotency, no persistence
// beyond what the adapter does. Ready when it prints "ready" on stdout.
//
// Environment: PORT (default 3000), REDIS_URL (default redis://127.0.0.1:6379),
// RELAY_API_KEY, JWT_SIGNING_SECRET (both required).
const http = require('node:http');
const crypto = require('node:crypto');
const { Server } = require('socket.io');
const { createClient } = require('redis');
const { createAdapter } = require('@socket.io/redis-streams-adapter');
const jwt = require('jsonwebtoken');

const port = Number(process.env.PORT || 3000);
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const apiKey = process.env.RELAY_API_KEY;
const secret = process.env.JWT_SIGNING_SECRET;
if (!apiKey || !secret) {
  console.error('RELAY_API_KEY and JWT_SIGNING_SECRET are required');
  process.exit(1);
}
const maxBody = 64 * 1024 + 4096;

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function authorized(req) {
  const header = req.headers.authorization || '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(apiKey);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

async function main() {
  const redis = createClient({ url: redisUrl });
  redis.on('error', (e) => console.error('redis:', e.message));
  await redis.connect();

  const server = http.createServer();
  const io = new Server(server, {
    adapter: createAdapter(redis),
    serveClient: false,
    cors: { origin: true },
  });

  io.use((socket, next) => {
    try {
      const claims = jwt.verify(String(socket.handshake.auth?.token || ''), secret, {
        algorithms: ['HS256'],
      });
      if (!claims.sub) throw new Error('missing sub');
      socket.data.claims = claims;
      next();
    } catch (e) {
      next(new Error(e.name === 'TokenExpiredError' ? 'token_expired' : 'unauthorized'));
    }
  });
  io.on('connection', (socket) => {
    const { sessionId, rooms } = socket.data.claims;
    const joined = [];
    if (sessionId) joined.push(`session:${sessionId}`);
    if (Array.isArray(rooms)) joined.push(...rooms.filter((r) => !String(r).endsWith(':*')));
    if (joined.length) socket.join(joined);
    delete socket.data.claims;
  });

  server.on('request', (req, res) => {
    if (req.url.startsWith('/socket.io')) return; // Socket.IO's own listener answers
    if (req.method === 'GET' && (req.url === '/readyz' || req.url === '/healthz')) {
      return send(res, 200, { status: 'UP' });
    }
    if (req.method !== 'POST' || (req.url !== '/v1/events' && req.url !== '/events')) {
      return send(res, 404, { code: 'not_found' });
    }
    if (!authorized(req)) return send(res, 401, { code: 'unauthorized' });
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > maxBody) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, 400, { code: 'invalid_request' });
      }
      const room = body.sessionId ? `session:${body.sessionId}` : body.room;
      if (!room || typeof body.event !== 'string' || typeof body.payload !== 'object') {
        return send(res, 400, { code: 'invalid_request' });
      }
      const now = new Date().toISOString();
      const envelope = {
        v: 1, id: crypto.randomUUID(), room, type: body.event, payload: body.payload,
        issuedAt: body.timestamp || now, publishedAt: now, nonce: body.nonce,
      };
      io.to(room).emit('event', envelope);
      send(res, 202, { id: envelope.id, room, duplicate: false });
    });
  });

  server.listen(port, '127.0.0.1', () => console.log(`ready on http://127.0.0.1:${port}`));
  const stop = () => io.close(() => redis.quit().finally(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
