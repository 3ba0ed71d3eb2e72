// The live feed: every event of the demo session, through the JavaScript client.
import { RelayClient } from "/demo/relay-client/index.js";

const session = new URLSearchParams(location.search).get("session") || "demo";
const room = `session:${session}`;
document.getElementById("room").textContent = room;
document.getElementById("table").href = `/demo/?session=${encodeURIComponent(session)}`;

async function getToken() {
  const answer = await fetch("/demo/api/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ session, name: "feed" }),
  });
  return (await answer.json()).token;
}

const relay = new RelayClient(location.origin, { getToken });
relay.on("state", (state) => {
  document.getElementById("state").textContent = state;
});
relay.subscribe(room, {
  onEvent: (event) => {
    const item = document.createElement("li");
    item.dataset.type = event.type;
    item.textContent = `${event.type} ${JSON.stringify(event.payload)}`;
    document.getElementById("events").append(item);
  },
  onRecoveryFailed: () => {
    document.getElementById("state").textContent = "missed events: reload the page";
  },
});
