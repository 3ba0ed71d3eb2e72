/**
 * Notices a connection that went silent without closing (a proxy that holds the upgrade, a
 * half-open TCP connection after sleep or a network change): browsers do not expose WebSocket
 * pings, so the client asks with `{"type":"ping"}` after `interval` ms without any message and
 * gives the connection up when nothing arrives within `timeout` ms. Before `welcome` the wait is
 * `timeout` alone. One timer; every call re-arms it.
 */
export class Watchdog {
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly interval: number,
    private readonly timeout: number,
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {}

  /** Waits `timeout` for the first message (the `welcome`). */
  connecting(): void {
    this.arm(this.timeout, this.dead);
  }

  /** A message arrived: the connection is alive; ping after `interval` of silence. */
  alive(): void {
    this.arm(this.interval, () => {
      this.ping();
      this.arm(this.timeout, this.dead);
    });
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private arm(delay: number, then: () => void): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(then, delay);
  }
}
