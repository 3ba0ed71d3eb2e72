package dev.relay.engine;

import java.util.List;

/** The answer to {@link EventLog#replay}. Events are present only when the outcome is complete. */
public record Replay(Outcome outcome, List<StoredEvent> events) {

  public enum Outcome {
    /** Every non-volatile event of the room after the given id, in order. */
    COMPLETE,
    /** The id belongs to another life of the stream (lost in a Redis restart or flush). */
    EPOCH_CHANGED,
    /** Events after the id may have been trimmed by retention. */
    TRIMMED,
    /** The id is ahead of everything in the stream: it was never issued here. */
    UNKNOWN_ID,
    /** More events than the replay bound. */
    TOO_MANY
  }

  public static Replay complete(List<StoredEvent> events) {
    return new Replay(Outcome.COMPLETE, List.copyOf(events));
  }

  public static Replay refused(Outcome outcome) {
    return new Replay(outcome, List.of());
  }

  /** True when the client may consider itself recovered. */
  public boolean recovered() {
    return outcome == Outcome.COMPLETE;
  }
}
