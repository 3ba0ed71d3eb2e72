// Drives one headless Debian chromium page (via playwright-core) that runs the built
// @relay-realtime/client bundle, for JsClientBrowserIT and JsClientSseFallbackBrowserIT.
// Usage: node js-client-bridge.mjs <bundle.js> <jwt secret>
// The page comes from a local server here, http://127.0.0.1:<free port>/ (gateways under test
// allow that origin); its getToken() POSTs claims to /token, answered with a fresh HS256 token
// (iat = now, exp = now + claims.lifetime), as an app's backend would.
// Protocol, one JSON object per line: stdin {"id":n,"js":"<expression>"} → stdout
// {"id":n,"ok":true,"value":…} or {"id":n,"ok":false,"error":"…"}; {"id":n,"block":"websocket"}
// makes every WebSocket to /realtime fail as a proxy refusing it would (reloading the page, so
// send it before start()). Other stdout lines
// start with "browser:". Closes the browser and exits when stdin ends.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const [bundleFile, secret] = process.argv.slice(2);
const bundle = readFileSync(bundleFile, "utf8");
const PAGE = `<!doctype html><meta charset="utf-8"><title>js client test</title>
<script type="module">
import { RelayClient } from "/relay-client.js";
// window.t: what the test reads back. start() connects; join() subscribes and records.
window.start = (gateway, claims, options = {}) => {
  window.t = { states: [], tokens: 0, received: {}, failed: [], closed: [], errors: [] };
  window.relay = new RelayClient(gateway, {
    ...options,
    getToken: async () => {
      t.tokens++;
      const answer = await fetch("/token", { method: "POST", body: JSON.stringify(claims) });
      return answer.text();
    },
  });
  relay.on("state", (s) => t.states.push(s));
  relay.on("error", (e) => t.errors.push(e.code));
};
window.join = (room, options = {}) => {
  t.received[room] = [];
  relay.subscribe(room, {
    ...options,
    onEvent: (e) => t.received[room].push(e),
    onRecoveryFailed: (r) => t.failed.push(r),
    onClose: (reason) => t.closed.push(room + " " + reason),
  });
};
window.ready = true;
</script>`;

function sign(claims) {
  const now = Math.floor(Date.now() / 1000);
  const { lifetime = 120, ...rest } = claims;
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ iat: now, exp: now + lifetime, jti: randomUUID(), ...rest })}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

// A real local server, not request interception: chromium lets only a loopback page (not a
// public-looking one such as an intercepted http://app.test) reach a loopback gateway.
const server = createServer((request, response) => {
  const url = new URL(request.url, "http://127.0.0.1");
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    if (url.pathname === "/relay-client.js") {
      response.writeHead(200, { "Content-Type": "text/javascript" }).end(bundle);
    } else if (url.pathname === "/token") {
      response.writeHead(200, { "Content-Type": "text/plain" }).end(sign(JSON.parse(body)));
    } else {
      response.writeHead(200, { "Content-Type": "text/html" }).end(PAGE);
    }
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
});
const page = await (await browser.newContext()).newPage();
page.on("pageerror", (e) => console.log(`browser: page error: ${e.message}`));
page.on("console", (m) => console.log(`browser: console ${m.type()}: ${m.text()}`));
await page.goto(origin + "/");
await page.waitForFunction(() => window.ready === true);
console.log("browser: ready");

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const request = JSON.parse(line);
  try {
    let value = null;
    if (request.block === "websocket") {
      await page.routeWebSocket(/\/realtime/, (ws) => ws.close({ code: 1011, reason: "blocked by proxy" }));
      // The route takes effect in documents loaded after it.
      await page.reload();
      await page.waitForFunction(() => window.ready === true);
    } else {
      value = await page.evaluate(request.js);
    }
    console.log(JSON.stringify({ id: request.id, ok: true, value: value ?? null }));
  } catch (e) {
    console.log(JSON.stringify({ id: request.id, ok: false, error: String(e.message || e) }));
  }
}
await browser.close();
server.close();
process.exit(0);
