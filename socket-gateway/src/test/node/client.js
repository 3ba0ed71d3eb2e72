// One stock socket.io-client, driven by JSON commands on stdin, reporting JSON lines on stdout.
// Env: URL, TOKEN, TRANSPORTS (comma-separated, default "polling,websocket"), EXTRA_HEADERS (JSON).
// Commands: {"cmd":"emit","name":…,"arg":{…},"ref":…} (answer printed as {"on":"ack",…}),
//           {"cmd":"close-engine"}, {"cmd":"connect"}, {"cmd":"disconnect"}, {"cmd":"exit"}.
"use strict";
const { io } = require("socket.io-client");
const readline = require("readline");

const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const transports = (process.env.TRANSPORTS || "polling,websocket").split(",");
const socket = io(process.env.URL, {
  auth: { token: process.env.TOKEN },
  transports,
  reconnection: false,
  extraHeaders: process.env.EXTRA_HEADERS ? JSON.parse(process.env.EXTRA_HEADERS) : undefined,
});

socket.io.on("open", () => {
  const engine = socket.io.engine;
  out({ on: "open", transport: engine.transport.name });
  engine.on("upgrade", (t) => out({ on: "upgrade", transport: t.name }));
});
socket.on("connect", () =>
  out({ on: "connect", id: socket.id, recovered: socket.recovered,
        transport: socket.io.engine.transport.name }));
socket.on("connect_error", (err) => out({ on: "connect_error", message: err.message }));
socket.on("disconnect", (reason) => out({ on: "disconnect", reason }));
socket.on("event", (envelope, offset) => out({ on: "event", envelope, offset }));
socket.on("error", (error) => out({ on: "error", error }));
socket.on("unsubscribed", (notice) => out({ on: "unsubscribed", notice }));

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const c = JSON.parse(line);
  if (c.cmd === "emit") {
    socket.timeout(5000).emit(c.name, c.arg, (err, reply) =>
      out({ on: "ack", ref: c.ref, reply: err ? { timeout: true } : reply }));
  } else if (c.cmd === "close-engine") {
    socket.io.engine.close();
  } else if (c.cmd === "connect") {
    socket.connect();
  } else if (c.cmd === "disconnect") {
    socket.disconnect();
  } else if (c.cmd === "exit") {
    socket.close();
    process.exit(0);
  }
});
process.stdin.on("end", () => process.exit(0));
out({ on: "started" });
