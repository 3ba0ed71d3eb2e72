// Compiled (never run) by `npm run build`: the SPEC §14 API, typed as an app would write it, so the
// published .d.ts cannot drift from it.
import { RelayClient, RelayError, type ConnectionState, type Envelope, type Member } from "../dist/index.js";

export async function usage(): Promise<void> {
  const relay = new RelayClient("https://relay.example.com", { getToken: async () => "jwt" });
  const off = relay.on("state", (s: ConnectionState) => console.log(s));
  relay.on("error", (e: RelayError) => console.log(e.code));
  const sub = relay.subscribe("team:42", {
    onEvent: (event: Envelope) => console.log(event.id, event.payload),
    history: 10,
    token: "subscription-jwt",
    onRecoveryFailed: (room: string) => console.log(room),
    onClose: (reason: string) => console.log(reason),
  });
  const id: string = await relay.publish("team:42", "task.created", { taskId: "T-1" });
  const members: Member[] = await relay.presence("team:42");
  await relay.setPresence("team:42", { voted: true });
  console.log(id, members.map((m) => [m.sub, m.info?.name, m.state]));
  sub.unsubscribe();
  off();
  relay.close();
}
