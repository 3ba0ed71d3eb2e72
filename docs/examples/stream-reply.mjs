// Pipes a model's streamed reply into Relay (SPEC §12), token by token, with one request:
//   RELAY_URL=http://localhost:8080 RELAY_API_KEY=… node docs/examples/stream-reply.mjs [conversation]
// ("eval "$(./relay env)"" sets both against ./relay dev). Without MODEL_URL it starts a fake
// OpenAI-style model on a free port that streams a canned answer as Server-Sent Events
// ("data: {choices:[{delta:{content}}]}" … "data: [DONE]") at ~20 tokens/s; with MODEL_URL it
// reads that URL's SSE stream instead. Prints the summary Relay answers at the end.
import http from 'node:http';

const relay = process.env.RELAY_URL ?? 'http://localhost:8080';
const apiKey = process.env.RELAY_API_KEY;
const conversation = process.argv[2] ?? 'demo';
if (!apiKey) {
  console.error('set RELAY_API_KEY (eval "$(./relay env)" against ./relay dev)');
  process.exit(2);
}

/** A fake model: an OpenAI-style chat completion stream of a canned answer. */
function fakeModel() {
  const answer =
    'Risk no more than one percent of your account on a single trade, ' +
    'and decide where you are wrong before you enter.';
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const tokens = answer.match(/\S+\s*/g);
    let i = 0;
    const timer = setInterval(() => {
      if (i < tokens.length) {
        const chunk = { choices: [{ delta: { content: tokens[i++] } }] };
        res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      } else {
        clearInterval(timer);
        res.end('data: [DONE]\n\n');
      }
    }, 50);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, server })));
}

/** The text pieces of an OpenAI-style SSE stream, as they arrive. */
async function* modelTokens(url) {
  const response = await fetch(url, { method: 'POST' });
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const bytes of response.body) {
    buffered += decoder.decode(bytes, { stream: true });
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = event.replace(/^data: ?/, '');
      if (data === '[DONE]') return;
      const content = JSON.parse(data).choices?.[0]?.delta?.content;
      if (content) yield content;
    }
  }
}

/** NDJSON lines for Relay: one message.delta per token, then message.completed. */
async function* relayLines(tokens, room, messageId) {
  let seq = 0;
  let text = '';
  for await (const delta of tokens) {
    text += delta;
    seq += 1;
    const payload = { messageId, conversationId: conversation, seq, delta };
    yield JSON.stringify({ room, event: 'message.delta', payload }) + '\n';
  }
  const payload = { messageId, conversationId: conversation, content: text };
  yield JSON.stringify({ room, event: 'message.completed', payload }) + '\n';
}

const model = process.env.MODEL_URL ? { url: process.env.MODEL_URL } : await fakeModel();
const room = `conversation:${conversation}`;
const messageId = `m-${Date.now()}`;
const encoder = new TextEncoder();
const lines = relayLines(modelTokens(model.url), room, messageId);
const body = new ReadableStream({
  async pull(controller) {
    const { value, done } = await lines.next();
    if (done) controller.close();
    else controller.enqueue(encoder.encode(value));
  },
});
const response = await fetch(`${relay}/v1/events:stream`, {
  method: 'POST',
  headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/x-ndjson' },
  body,
  duplex: 'half', // Node's fetch streams a request body only in half-duplex mode
});
console.log(response.status, await response.text());
model.server?.close();
