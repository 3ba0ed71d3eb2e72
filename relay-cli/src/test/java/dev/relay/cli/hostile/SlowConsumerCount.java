package dev.relay.cli.hostile;

/**
 * {@code relay_errors_total{type="slow_consumer"}} watched from a baseline: the first poll that
 * sees it grow marks the moment the gateway decided to close a connection for its outbound budget,
 * the moment from which SPEC §10 gives the close 5 s to complete. Poll it from one thread.
 */
final class SlowConsumerCount {

  private final GatewayProbe probe;
  private final double before;
  private long decidedAt;

  private SlowConsumerCount(GatewayProbe probe, double before) {
    this.probe = probe;
    this.before = before;
  }

  /** Starts watching from the counter's current value. */
  static SlowConsumerCount from(GatewayProbe probe) {
    return new SlowConsumerCount(probe, probe.errors("slow_consumer"));
  }

  /** Reads the counter; true once it has grown since the baseline. */
  boolean decided() {
    if (decidedAt == 0 && added() > 0) {
      decidedAt = System.nanoTime();
    }
    return decidedAt != 0;
  }

  /** {@link System#nanoTime()} of the first poll that saw the counter grow; 0 before that. */
  long decidedAtNanos() {
    return decidedAt;
  }

  /** How much the counter grew since the baseline. */
  double added() {
    return probe.errors("slow_consumer") - before;
  }
}
