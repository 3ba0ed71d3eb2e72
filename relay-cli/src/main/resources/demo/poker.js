// Planning Poker demo for `./relay dev` (dev only). The browser never publishes itself: like a
// real app, it asks its backend (/demo/api) to publish, and receives every event, its own included,
// from Relay over the stock socket.io-client.
(() => {
  const CARDS = ["1", "2", "3", "5", "8", "13", "?"];
  const session = new URLSearchParams(location.search).get("session") || "demo";
  const state = { issueKey: "DEMO-1", votes: new Map(), revealed: false, me: null, name: null };
  const $ = (id) => document.getElementById(id);
  $("session-label").textContent = `“${session}”`;

  async function api(path, body) {
    const res = await fetch(`/demo/api/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  function render() {
    $("issue").textContent = state.issueKey;
    const mine = state.votes.get(state.me);
    for (const b of $("cards").children) b.classList.toggle("chosen", mine?.value === b.dataset.card);
    const list = $("votes");
    list.replaceChildren();
    for (const [id, vote] of state.votes) {
      const li = document.createElement("li");
      li.dataset.participant = id;
      const who = document.createElement("span");
      who.className = "name";
      who.textContent = id === state.me ? `${vote.name} (you)` : vote.name;
      const value = document.createElement("span");
      value.className = "value";
      value.textContent = state.revealed || id === state.me ? vote.value : "✓ voted";
      li.append(who, value);
      list.append(li);
    }
    const numbers = [...state.votes.values()].map((v) => Number(v.value)).filter((n) => !isNaN(n));
    $("summary").textContent =
      state.revealed && numbers.length
        ? `average ${(numbers.reduce((a, b) => a + b, 0) / numbers.length).toFixed(1)}`
        : "";
    document.body.dataset.revealed = String(state.revealed);
  }

  function onEvent(envelope) {
    const p = envelope.payload || {};
    if (envelope.type === "vote.cast" && p.issueKey === state.issueKey) {
      state.votes.set(p.participantId, { name: p.name || p.participantId, value: String(p.value) });
    } else if (envelope.type === "votes.revealed" && p.issueKey === state.issueKey) {
      state.revealed = true;
    } else if (envelope.type === "issue.advanced") {
      state.issueKey = p.issueKey;
      state.votes.clear();
      state.revealed = false;
    }
    render();
  }

  async function join(name) {
    const grant = await api("token", { name, session });
    state.me = grant.participantId;
    state.name = grant.name;
    const socket = io({ auth: { token: grant.token } });
    socket.on("connect", () => {
      $("status").textContent = socket.recovered ? "live (recovered)" : "live";
      $("status").className = "live";
    });
    socket.on("disconnect", () => {
      $("status").textContent = "reconnecting…";
      $("status").className = "";
    });
    socket.on("connect_error", (err) => {
      $("status").textContent = `cannot connect: ${err.message}`;
    });
    socket.on("event", onEvent);
    $("join-form").hidden = true;
    $("table").hidden = false;
    render();
  }

  for (const card of CARDS) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = card;
    b.dataset.card = card;
    b.addEventListener("click", () =>
      api("vote", { session, issueKey: state.issueKey, participantId: state.me, name: state.name, value: card })
        .catch((e) => ($("status").textContent = e.message)),
    );
    $("cards").append(b);
  }
  $("reveal").addEventListener("click", () =>
    api("reveal", { session, issueKey: state.issueKey }).catch((e) => ($("status").textContent = e.message)),
  );
  $("advance").addEventListener("click", () => {
    const n = Number(state.issueKey.split("-")[1]) || 0;
    api("advance", { session, issueKey: `DEMO-${n + 1}` }).catch((e) => ($("status").textContent = e.message));
  });
  $("join-form").addEventListener("submit", (e) => {
    e.preventDefault();
    join($("name").value.trim()).catch((err) => ($("status").textContent = err.message));
  });
})();
