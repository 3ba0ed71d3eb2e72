package dev.relay.publish.events;

import dev.relay.engine.Appended;
import dev.relay.service.http.ProblemException;

/** The outcome of one event of a batch: exactly one of {@code appended} and {@code error}. */
public record BatchOutcome(Appended appended, ProblemException error) {

  public static BatchOutcome of(Appended appended) {
    return new BatchOutcome(appended, null);
  }

  public static BatchOutcome of(ProblemException error) {
    return new BatchOutcome(null, error);
  }
}
