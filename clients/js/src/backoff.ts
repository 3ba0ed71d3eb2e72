/**
 * Reconnect delays: exponential from `min` to `max` with "equal jitter" (each delay is drawn
 * between half and all of the exponential step), so clients dropped together by one gateway do
 * not come back together. Reset after a successful connection.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly min: number,
    private readonly max: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt, in milliseconds; each call counts one attempt. */
  next(): number {
    const step = Math.min(this.max, this.min * 2 ** this.attempt++);
    return Math.round(step / 2 + (step / 2) * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
