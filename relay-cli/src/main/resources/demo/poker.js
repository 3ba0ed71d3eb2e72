// Planning Poker demo for `./relay dev` (dev only), on the stock socket.io-client. What it shows:
//  - a late joiner sees the round at once: `subscribe` with `history` sends the room's recent
//    events (oldest first) before live ones, and the page rebuilds the round from them;
//  - who is at the table is Relay presence: names from the token's `info` claim, "voted" from the
//    `state` each player sets with `presence.set`;
//  - votes stay hidden: the backend announces `vote.cast` without a value and only
//    `votes.revealed` carries the values;
//  - a reload keeps your name and identity (kept in localStorage, sent back to the backend).
// The browser never publishes events itself: like a real app, it asks its backend (/demo/api).
(() => {
  const CARDS = ["1", "2", "3", "5", "8", "13", "?"];
  const HISTORY = 100; // the most a subscribe may ask for (SPEC §11)
  const PLAYER = "relay-demo-player"; // localStorage key of {name, participantId}
  const session = new URLSearchParams(location.search).get("session") || "demo";
  const $ = (id) => document.getElementById(id);

  let socket = null;
  let me = null; // the backend's answer to join: {participantId, name, room, token, roomToken, …}
  let round = newRound("DEMO-1");
  let members = new Map(); // sub -> {sub, info, state}: Relay presence
  let myVote = null; // {issueKey, value}: the only value this page knows before the reveal
  let replaying = 0; // history events still to come after the subscribe reply

  function newRound(issueKey) {
    return { issueKey, voted: new Map(), revealed: null }; // voted: id -> name; revealed: id -> vote
  }

  async function api(path, body) {
    const res = await fetch(`/demo/api/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(answer.detail || `${path}: HTTP ${res.status}`);
    return answer;
  }

  function status(text, live = false) {
    $("status").textContent = text;
    $("status").className = live ? "live" : "";
  }

  // One reducer for history and live events alike: the round is what the events say.
  function apply(event) {
    const p = event.payload || {};
    if (event.type === "vote.cast" && p.issueKey === round.issueKey) {
      round.voted.set(p.participantId, p.name || p.participantId); // no value: it is hidden
    } else if (event.type === "votes.revealed" && p.issueKey === round.issueKey) {
      round.revealed = new Map((p.votes || []).map((v) => [v.participantId, v]));
    } else if (event.type === "issue.advanced") {
      round = newRound(p.issueKey);
      if (!replaying) setVoted(false);
    } else if (event.type === "presence.joined") {
      members.set(p.sub, { sub: p.sub, info: p.info, state: null });
    } else if (event.type === "presence.left") {
      members.delete(p.sub);
    } else if (event.type === "presence.updated" && members.has(p.sub)) {
      members.get(p.sub).state = p.state;
    }
  }

  // My presence state: {voted, issueKey}, so a mark left over from an earlier issue never counts.
  function setVoted(voted) {
    socket.emit("presence.set", { room: me.room, state: { voted, issueKey: round.issueKey } }, (r) => {
      if (!r.ok) status(`presence.set: ${r.code}`);
    });
  }

  function loadMembers() {
    socket.emit("presence", { room: me.room }, (r) => {
      if (!r.ok) return status(`presence: ${r.code}`);
      members = new Map(r.members.map((m) => [m.sub, m]));
      render();
    });
  }

  // After the history: tell the table whether I voted (a reconnect starts with no presence state).
  function caughtUp() {
    setVoted(round.voted.has(me.participantId));
    render();
  }

  function hasVoted(id) {
    const state = members.get(id)?.state;
    return round.voted.has(id) || !!round.revealed?.has(id) ||
      (state?.voted === true && state.issueKey === round.issueKey);
  }

  function render() {
    $("issue").textContent = round.issueKey;
    // Players: present members with a name (a page without one, like the feed, only watches),
    // then voters who have left since.
    const players = new Map();
    for (const m of members.values()) if (m.info?.name) players.set(m.sub, { name: m.info.name, here: true });
    for (const [id, name] of round.voted) if (!players.has(id)) players.set(id, { name, here: false });
    for (const [id, v] of round.revealed || []) if (!players.has(id)) players.set(id, { name: v.name, here: false });
    const myValue = myVote?.issueKey === round.issueKey ? myVote.value : null;
    $("players").replaceChildren(...[...players].map(([id, player]) => {
      const li = document.createElement("li");
      li.dataset.participant = id;
      li.classList.toggle("gone", !player.here);
      const cell = (cls, text) => Object.assign(document.createElement("span"), { className: cls, textContent: text });
      const mine = id === me.participantId;
      const value = round.revealed ? round.revealed.get(id)?.value ?? "–" : (mine && myValue) || "";
      li.append(
        cell("name", player.name + (mine ? " (you)" : player.here ? "" : " (left)")),
        cell("mark", hasVoted(id) ? "✓ voted" : round.revealed ? "no vote" : "thinking…"),
        cell("value", value),
      );
      return li;
    }));
    for (const b of $("cards").children) {
      b.classList.toggle("chosen", myValue === b.dataset.card);
      b.disabled = !!round.revealed;
    }
    const numbers = [...(round.revealed?.values() || [])].map((v) => Number(v.value)).filter((n) => !isNaN(n));
    $("summary").textContent = numbers.length
      ? `average ${(numbers.reduce((a, b) => a + b, 0) / numbers.length).toFixed(1)}`
      : "";
    document.body.dataset.revealed = String(!!round.revealed);
  }

  async function join(name) {
    const saved = JSON.parse(localStorage.getItem(PLAYER) || "null");
    me = await api("join", { name, session, participantId: saved?.participantId });
    localStorage.setItem(PLAYER, JSON.stringify({ name: me.name, participantId: me.participantId }));
    $("me").textContent = `you are ${me.name}`;
    round = newRound(me.issueKey); // the backend's word, in case the history is shorter than the round

    socket = io({ auth: { token: me.token } });
    socket.on("connect", () => {
      status(socket.recovered ? "live (recovered)" : "live", true);
      if (socket.recovered) {
        // Relay put us back in the room and replayed what we missed: the round is current. Presence
        // events are volatile (never replayed): ask for the member list again.
        loadMembers();
        return caughtUp();
      }
      round = newRound(round.issueKey);
      socket.emit("subscribe", { room: me.room, token: me.roomToken, history: HISTORY }, (r) => {
        if (!r.ok) return status(`cannot join the session: ${r.code}`);
        replaying = r.history; // this many stored events follow, oldest first, then live ones
        loadMembers();
        if (replaying === 0) caughtUp();
      });
    });
    socket.on("event", (event) => {
      apply(event);
      if (replaying > 0 && !event.type.startsWith("presence.") && --replaying === 0) caughtUp();
      else render();
    });
    socket.on("unsubscribed", ({ reason }) =>
      status(reason === "removed" ? "an operator removed you from this session" : `left the session (${reason})`));
    let refusal = ""; // the code of the server's last `error` event: why it is about to disconnect us
    socket.on("error", ({ code }) => status(`server error: ${(refusal = code)}`));
    socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect") status(`disconnected by the server (${refusal || "no reason given"}): reload to rejoin`);
      else status("reconnecting…");
    });
    socket.on("connect_error", (err) => status(`cannot connect: ${err.message}`));
    $("join-form").hidden = true;
    $("table").hidden = false;
    render();
  }

  const report = (e) => status(e.message);
  for (const card of CARDS) {
    const b = Object.assign(document.createElement("button"), { type: "button", textContent: card });
    b.dataset.card = card;
    b.addEventListener("click", () => {
      const issueKey = round.issueKey;
      api("vote", { session, issueKey, participantId: me.participantId, name: me.name, value: card })
        .then(() => {
          myVote = { issueKey, value: card };
          setVoted(true);
          render();
        })
        .catch(report);
    });
    $("cards").append(b);
  }
  $("reveal").addEventListener("click", () => api("reveal", { session, issueKey: round.issueKey }).catch(report));
  $("advance").addEventListener("click", () => api("advance", { session, issueKey: round.issueKey }).catch(report));
  $("forget").addEventListener("click", () => {
    localStorage.removeItem(PLAYER);
    location.reload();
  });
  $("session-label").textContent = `“${session}”`;
  $("join-form").addEventListener("submit", (e) => {
    e.preventDefault();
    join($("name").value.trim()).catch(report);
  });
  const saved = JSON.parse(localStorage.getItem(PLAYER) || "null");
  if (saved?.name) join(saved.name).catch(report); // a reload rejoins as the same player
})();
