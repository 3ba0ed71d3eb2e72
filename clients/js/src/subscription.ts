import type { Envelope, SubscribeOptions } from "./types.js";

/** How many recent event ids a subscription remembers to drop a duplicate delivery. */
const RECENT_IDS = 256;

/**
 * The client's side of one room: what the app asked for and the last event id received there (the
 * resume point sent as `since` on every reconnect). Every callback runs on the caller's event loop;
 * an exception thrown by the app's callback is reported on the console and never stops delivery.
 */
export class Subscription {
  /** @internal Id of the last event delivered to the app; undefined until one arrived. */
  lastId?: string;
  /** @internal True once the server confirmed this room at least once. */
  confirmed = false;
  /** @internal True once ended, by the app or by the server; an ended subscription delivers nothing. */
  ended = false;
  private readonly recent = new Set<string>();

  /** @internal */
  constructor(
    readonly room: string,
    readonly options: SubscribeOptions,
    private readonly leave: (sub: Subscription) => void,
  ) {}

  /** Leaves the room; no callback of this subscription runs afterwards. Idempotent. */
  unsubscribe(): void {
    if (!this.ended) {
      this.ended = true;
      this.leave(this);
    }
  }

  /** @internal Hands an event to the app once: a repeated id (e.g. a replay overlapping live delivery) is dropped. */
  deliver(event: Envelope): void {
    if (this.ended) {
      return;
    }
    if (event.type === "message.snapshot") {
      // Made by the relay, not a new event: its id is the room's position, which may equal an id
      // already delivered (docs/streaming.md). Never dropped as a repeat, never a resume point.
      call(this.options.onEvent, event);
      return;
    }
    if (this.recent.has(event.id)) {
      return;
    }
    this.recent.add(event.id);
    if (this.recent.size > RECENT_IDS) {
      this.recent.delete(this.recent.values().next().value as string);
    }
    this.lastId = event.id;
    call(this.options.onEvent, event);
  }

  /** @internal The server's `history` count of a subscribe that asked for history. */
  historySent(count: number): void {
    if (!this.ended) {
      call(this.options.onHistory, count);
    }
  }

  /** @internal */
  recoveryFailed(): void {
    if (!this.ended) {
      call(this.options.onRecoveryFailed, this.room);
    }
  }

  /** @internal Ends the subscription on the server's word (`revoked`, `removed`, `forbidden`, …). */
  close(reason: string): void {
    if (!this.ended) {
      this.ended = true;
      call(this.options.onClose, reason);
    }
  }
}

function call<T>(callback: ((value: T) => void) | undefined, value: T): void {
  try {
    callback?.(value);
  } catch (e) {
    console.error(e);
  }
}
