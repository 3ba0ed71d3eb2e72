// Publishing to Relay from an Atlassian Forge function (or any Node.js 18+ backend), signed with
// HMAC so the API key itself never travels: X-Relay-Signature: t=<unix>,v1=<hex HMAC-SHA256(key,
// "<t>.<raw body>")> (docs/publish-api.md). The signature covers the exact bytes sent, so the body
// is serialized once and that string is both signed and sent.
//
// In a Forge app: put RELAY_URL and RELAY_API_KEY in Forge environment variables
// (`forge variables set --encrypt RELAY_API_KEY …`), add the Relay host to manifest.yml
// permissions.external.fetch.backend, and pass `api.fetch` from '@forge/api' as `fetchImpl`.
//
// From a shell (used by the docs test):
//   RELAY_URL=http://localhost:8080 RELAY_API_KEY=… node docs/examples/forge-publisher.js
'use strict';
const crypto = require('node:crypto');

/** The X-Relay-Signature header value for `rawBody`, signed with `apiKey` at `unixSeconds`. */
function signature(apiKey, rawBody, unixSeconds = Math.floor(Date.now() / 1000)) {
  const mac = crypto.createHmac('sha256', apiKey).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * Publishes one event. Resolves to Relay's answer `{id, room, duplicate}` (HTTP 202); rejects with
 * the problem details on any other status. A `nonce` makes retries safe: the same nonce in the
 * same room within 24 h answers the first id with duplicate: true and is not delivered again.
 */
async function publish({ url, apiKey, fetchImpl = fetch }, event) {
  const body = JSON.stringify(event);
  const response = await fetchImpl(`${url.replace(/\/$/, '')}/v1/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Relay-Signature': signature(apiKey, body) },
    body,
  });
  const answer = await response.json();
  if (response.status !== 202) {
    const error = new Error(`relay answered ${response.status} ${answer.code}: ${answer.detail}`);
    error.problem = answer;
    error.retryAfter = response.headers.get('Retry-After');
    throw error;
  }
  return answer;
}

/** A Forge resolver/trigger: publishes a vote to the poker session's room. */
async function onVoteCast({ sessionId, issueKey, participantId, value, voteId }) {
  return publish(
    { url: process.env.RELAY_URL, apiKey: process.env.RELAY_API_KEY.split(',')[0] },
    {
      sessionId,
      event: 'vote.cast',
      payload: { issueKey, participantId, value },
      nonce: voteId, // retry-safe
      timestamp: new Date().toISOString(),
    },
  );
}

module.exports = { signature, publish, onVoteCast };

if (require.main === module) {
  onVoteCast({
    sessionId: process.env.RELAY_SESSION || 'demo',
    issueKey: 'SCRUM-1',
    participantId: 'acct-123',
    value: '5',
    voteId: process.env.RELAY_NONCE || crypto.randomUUID(),
  }).then(
    (answer) => console.log(JSON.stringify(answer)),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
