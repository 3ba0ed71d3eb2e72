// The admin dashboard: this instance's stats (polled every second), every gateway's rooms and a
// room's members and last events (every 2 s), and the actions of the admin API, each behind a
// confirm step. The admin key stays in the tab's session storage; the page holds no secret.
(() => {
  const $ = (id) => document.getElementById(id);
  let key = sessionStorage.getItem("relay-admin-key");
  let previous = null;
  let timers = [];
  let prefix = "";
  let nextCursor = null;
  let listed = []; // the rooms shown, page after page
  let morePages = false; // rooms beyond the first page are shown: stop refreshing the list
  let room = null; // the room whose members and events are shown

  // ---- HTTP: every call carries the key; an answer is {ok, status, body} and never throws.
  async function call(method, path, body) {
    const init = { method, headers: { Authorization: `Bearer ${key}` } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      return { ok: false, status: 0, body: { detail: `network error: ${e.message}` } };
    }
    if (res.status === 401 || res.status === 404) {
      const problem = await res.clone().json().catch(() => ({}));
      if (res.status === 401 || problem.detail === "admin API is off") return signOut(res.status);
    }
    const text = await res.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = { detail: text }; }
    return { ok: res.ok, status: res.status, body: parsed };
  }

  function signOut(status) {
    $("error").textContent = status === 401 ? "Wrong admin key." : "The admin API is off (ADMIN_API_KEY not set).";
    sessionStorage.removeItem("relay-admin-key");
    timers.forEach(clearInterval);
    timers = [];
    $("key-form").hidden = false;
    $("dash").hidden = true;
    return { ok: false, status, body: null };
  }

  // Empty lists are left out of the server's JSON: every list below is read as `x || []`.

  // ---- tables: rows of cells (text, or a node such as a button); redrawn only when they changed
  function rows(tbody, list) {
    const json = JSON.stringify(list, (k, v) => (v instanceof Node ? v.outerHTML : v));
    if (tbody.dataset.json === json) return;
    tbody.dataset.json = json;
    tbody.replaceChildren(...list.map((cells) => {
      const tr = document.createElement("tr");
      for (const c of cells) {
        const td = document.createElement("td");
        if (c instanceof Node) td.append(c); else td.textContent = c ?? "";
        tr.append(td);
      }
      return tr;
    }));
  }
  function button(label, cls, onClick, data = {}) {
    const b = Object.assign(document.createElement("button"), { type: "button", textContent: label, className: cls });
    Object.assign(b.dataset, data);
    b.addEventListener("click", onClick);
    return b;
  }
  function actions(...buttons) {
    const span = document.createElement("span");
    span.append(...buttons);
    return span;
  }
  const compact = (v) => (v == null ? "" : JSON.stringify(v));
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : "");

  // ---- actions: a confirm step, then the call, then a clear result
  function confirmThen(text, run) {
    const dialog = $("confirm");
    $("confirm-text").textContent = text;
    dialog.onclose = () => { if (dialog.returnValue === "ok") run(); };
    dialog.returnValue = "";
    dialog.showModal();
  }
  async function act(what, method, path, body) {
    const answer = await call(method, path, body);
    const result = $("result");
    if (answer.ok) {
      result.className = "done";
      result.textContent = `${what}: done (HTTP ${answer.status}).`;
    } else if (answer.status !== 401) {
      const p = answer.body || {};
      result.className = "failed";
      result.textContent = `${what}: failed, ${p.detail || "no detail"}` +
        (p.code ? ` (${p.code}${p.field ? `, field ${p.field}` : ""}, HTTP ${answer.status})` : ` (HTTP ${answer.status})`);
    }
    refreshCluster();
  }
  const removeFromRoom = (r, sub) => confirmThen(
    `Remove ${sub} from ${r}? Every connection of the user, on every gateway, leaves the room within a second and cannot rejoin it with a token issued before now.`,
    () => act(`Remove ${sub} from ${r}`, "POST", `/admin/rooms/${encodeURIComponent(r)}/unsubscribe`, { sub }));
  const disconnectUser = (sub) => confirmThen(
    `Disconnect ${sub}? Every connection of the user, on every gateway, closes with code 4003 (forbidden). The user may connect again with a valid token.`,
    () => act(`Disconnect ${sub}`, "POST", `/admin/users/${encodeURIComponent(sub)}/disconnect`, { code: 4003 }));
  const closeConnection = (id, sub) => confirmThen(
    `Close connection ${id} of ${sub} on this instance with code 4003 (forbidden)?`,
    () => act(`Close connection ${id}`, "DELETE", `/admin/connections/${encodeURIComponent(id)}`));
  const revoke = (jti, exp) => confirmThen(
    `Revoke token ${jti || "(no jti)"}? Every instance refuses new connections with it and closes live ones, until it expires (${exp ? new Date(exp * 1000).toLocaleString() : "no exp given"}).`,
    () => act(`Revoke token ${jti}`, "POST", "/admin/revocations", { jti, exp: exp || null }));

  // ---- this instance's stats, every second
  const sum = (m) => Object.values(m || {}).reduce((a, b) => a + b, 0);
  // Interval percentile from two cumulative histograms: linear within the bucket.
  function percentile(now, before, q) {
    const count = now.count - (before ? before.count : 0);
    if (count <= 0) return null;
    const target = q * count;
    let lowerLe = 0, lowerCount = 0;
    for (let i = 0; i < now.buckets.length; i++) {
      const c = now.buckets[i].count - (before && before.buckets[i] ? before.buckets[i].count : 0);
      if (c >= target) {
        const le = now.buckets[i].le;
        const frac = c === lowerCount ? 1 : (target - lowerCount) / (c - lowerCount);
        return (lowerLe + (le - lowerLe) * frac) * 1000;
      }
      lowerLe = now.buckets[i].le; lowerCount = c;
    }
    return null;
  }
  function showStats(s) {
    $("instance").textContent = `instance ${s.instanceId}`;
    $("connections").textContent = s.connections;
    $("rooms").textContent = s.rooms;
    $("errors").textContent = sum(s.errors);
    $("refused").textContent = sum(s.refused);
    if (previous) {
      const dt = Math.max(0.001, (s.atMillis - previous.atMillis) / 1000);
      $("events-rate").textContent = ((s.eventsRead - previous.eventsRead) / dt).toFixed(1);
      $("deliveries-rate").textContent = ((s.deliveries - previous.deliveries) / dt).toFixed(1);
      const p50 = percentile(s.fanout, previous.fanout, 0.5);
      const p99 = percentile(s.fanout, previous.fanout, 0.99);
      $("p50").textContent = p50 == null ? "–" : p50.toFixed(1);
      $("p99").textContent = p99 == null ? "–" : p99.toFixed(1);
    }
    rows($("connection-rows"), (s.connectionList || []).map((c) => [c.id, c.sub, c.expiresAt ? time(c.expiresAt) : "", actions(
      button("Close…", "danger", () => closeConnection(c.id, c.sub), { action: "close", id: c.id }),
      ...(c.jti ? [button("Revoke token…", "danger", () => revoke(c.jti, Math.ceil(Date.parse(c.expiresAt) / 1000)), { action: "revoke", id: c.id })] : []),
    )]));
    rows($("room-rows"), (s.topRooms || []).map((r) => [r.room, r.connections]));
    rows($("error-rows"), Object.entries(s.errors || {}).map(([t, n]) => [t, n]));
    previous = s;
  }
  async function pollStats() {
    const answer = await call("GET", "/admin/stats");
    if (answer.status === 401 || (answer.status === 404 && !answer.body)) return;
    if (!answer.ok) return ($("error").textContent = `stats: HTTP ${answer.status} (retrying)`);
    $("error").textContent = "";
    showStats(answer.body);
  }

  // ---- every gateway: rooms, then the chosen room's members and last events, every 2 s
  function roomRow(r) {
    return [button(r.room, "room", () => openRoom(r.room), { room: r.room }), r.members];
  }
  async function loadRooms(append) {
    const query = new URLSearchParams({ prefix, limit: "50" });
    if (append && nextCursor) query.set("cursor", nextCursor);
    const answer = await call("GET", `/admin/cluster/rooms?${query}`);
    if (!answer.ok) {
      if (answer.body) $("error").textContent = `rooms: ${answer.body.detail || `HTTP ${answer.status}`}`;
      return;
    }
    const page = answer.body.rooms || [];
    listed = append ? listed.concat(page) : page;
    rows($("cluster-rows"), listed.map(roomRow));
    nextCursor = answer.body.next;
    $("more-rooms").hidden = !nextCursor;
  }
  async function loadRoom() {
    if (!room) return;
    const path = `/admin/rooms/${encodeURIComponent(room)}`;
    const [detail, events] = await Promise.all([call("GET", path), call("GET", `${path}/events?limit=20`)]);
    if (detail.ok) {
      const r = room;
      rows($("member-rows"), (detail.body.members || []).map((m) => [m.sub, compact(m.info), compact(m.state), time(m.joinedAt), actions(
        button("Remove from room…", "danger", () => removeFromRoom(r, m.sub), { action: "unsubscribe", sub: m.sub }),
        button("Disconnect user…", "danger", () => disconnectUser(m.sub), { action: "disconnect", sub: m.sub }),
      )]));
    }
    if (events.ok) {
      const items = (events.body.events || []).map((e) => {
        const li = document.createElement("li");
        li.dataset.type = e.type;
        const payload = compact(e.payload);
        li.append(
          Object.assign(document.createElement("span"), { className: "type", textContent: e.type }),
          ` ${time(e.publishedAt)}${e.actor ? ` by ${e.actor}` : ""} `,
          Object.assign(document.createElement("code"), { textContent: payload.length > 200 ? `${payload.slice(0, 200)}…` : payload }),
        );
        return li;
      });
      const json = JSON.stringify((events.body.events || []).map((e) => e.id));
      if ($("events").dataset.json !== json) {
        $("events").dataset.json = json;
        $("events").replaceChildren(...items);
      }
    }
  }
  function openRoom(name) {
    room = name;
    $("room-name").textContent = name;
    $("room-panel").hidden = false;
    $("member-rows").dataset.json = "";
    $("events").dataset.json = "";
    loadRoom();
  }
  function refreshCluster() {
    if (!morePages) loadRooms(false);
    loadRoom();
  }

  // ---- forms and start
  $("rooms-form").addEventListener("submit", (e) => {
    e.preventDefault();
    prefix = $("prefix").value.trim();
    morePages = false;
    loadRooms(false);
  });
  $("more-rooms").addEventListener("click", () => { morePages = true; loadRooms(true); });
  $("revoke-token").addEventListener("input", () => {
    // Reads jti and exp out of a pasted token (its middle part; nothing is verified here).
    try {
      const claims = JSON.parse(atob($("revoke-token").value.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      $("revoke-jti").value = claims.jti || "";
      $("revoke-exp").value = claims.exp || "";
    } catch { /* not a token: leave the fields to the operator */ }
  });
  $("revoke-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const jti = $("revoke-jti").value.trim();
    const exp = Number($("revoke-exp").value.trim());
    revoke(jti, exp);
  });
  function start() {
    $("key-form").hidden = true;
    $("dash").hidden = false;
    previous = null;
    pollStats();
    refreshCluster();
    timers = [setInterval(pollStats, 1000), setInterval(refreshCluster, 2000)];
  }
  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    key = $("key").value.trim();
    sessionStorage.setItem("relay-admin-key", key);
    start();
  });
  if (key) start();
})();
