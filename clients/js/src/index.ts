export { RelayClient } from "./client.js";
export { RelayError } from "./errors.js";
export type { Subscription } from "./subscription.js";
export type {
  ClientOptions,
  ConnectionState,
  Envelope,
  Member,
  SubscribeOptions,
} from "./types.js";
