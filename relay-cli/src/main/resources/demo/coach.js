// The AI coach demo: a conversation room over the stock socket.io-client. A streamed reply is
// rebuilt from message.snapshot (the text so far, on subscribe) and message.delta (appended in
// seq order); message.completed carries the final text, kept in data-final for the browser test.
(() => {
  const conversation = new URLSearchParams(location.search).get("c") || "coach";
  const chat = document.getElementById("chat");
  const status = document.getElementById("status");
  const typing = document.getElementById("typing");
  const messages = new Map(); // messageId -> { el, seq, text }

  function bubble(id, kind) {
    let m = messages.get(id);
    if (!m) {
      const el = document.createElement("li");
      el.className = kind;
      el.dataset.id = id;
      chat.append(el);
      m = { el, seq: 0, text: "" };
      messages.set(id, m);
    }
    return m;
  }

  function show(m) {
    m.el.textContent = m.text;
    m.el.dataset.text = m.text;
    m.el.dataset.seq = String(m.seq);
  }

  function onEvent(event) {
    const p = event.payload || {};
    switch (event.type) {
      case "message.created": {
        const m = bubble(p.messageId, "user");
        m.text = p.content;
        show(m);
        break;
      }
      case "message.snapshot": {
        const m = bubble(p.messageId, "coach streaming");
        if (p.seq >= m.seq) {
          m.text = p.content;
          m.seq = p.seq;
          m.el.dataset.snapshot = String(p.seq);
          show(m);
        }
        break;
      }
      case "message.delta": {
        const m = bubble(p.messageId, "coach streaming");
        if (p.seq === m.seq + 1) {
          m.text += p.delta;
          m.seq = p.seq;
          show(m);
        }
        break;
      }
      case "message.completed": {
        const m = bubble(p.messageId, "coach");
        if (m.seq === 0) m.text = p.content; // from history: no deltas were seen
        m.el.classList.remove("streaming");
        m.el.dataset.final = p.content;
        show(m);
        typing.textContent = "";
        break;
      }
      case "typing.started":
        typing.textContent = "coach is typing…";
        break;
      case "typing.stopped":
        typing.textContent = "";
        break;
    }
  }

  async function start() {
    const answer = await fetch("/demo/api/coach/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ conversation }),
    });
    const { token, room } = await answer.json();
    document.getElementById("room").textContent = room;
    const socket = io(location.origin, { auth: { token } });
    socket.on("connect", () => {
      if (socket.recovered) {
        status.textContent = "live (recovered)";
        return;
      }
      socket.emit("subscribe", { room, history: 50 }, (ack) => {
        status.textContent = ack && ack.ok ? "live" : `refused: ${ack && ack.code}`;
      });
    });
    socket.on("disconnect", () => (status.textContent = "reconnecting…"));
    socket.on("connect_error", (e) => (status.textContent = `error: ${e.message}`));
    socket.on("event", onEvent);
  }

  document.getElementById("ask-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = document.getElementById("question");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    await fetch("/demo/api/coach/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ conversation, text }),
    });
  });

  start();
})();
