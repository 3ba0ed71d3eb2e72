package dev.relay.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DEV-ONLY. What the demo's stand-in backend keeps about each Planning Poker session: the issue
 * being estimated and the votes cast on it, values included. Only this class knows a value before
 * the reveal: {@code vote.cast} goes out without it, {@code votes.revealed} carries them all (SPEC
 * §3). A real app keeps this in its own database.
 *
 * <p>Bounded: at most {@value #MAX_SESSIONS} sessions (the least recently used one is forgotten)
 * and {@value #MAX_VOTERS} voters per round, whatever the callers send. Thread-safe: every method
 * is atomic (synchronized on the table).
 */
final class DemoTable {

  static final int MAX_SESSIONS = 100;
  static final int MAX_VOTERS = 50;
  static final String FIRST_ISSUE = "DEMO-1";

  /** A vote, as {@code votes.revealed} lists it. */
  record Vote(String participantId, String name, String value) {}

  /** Why an action does not apply to the table now; the message says what to do instead. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private static final class Round {
    String issueKey = FIRST_ISSUE;
    boolean revealed;
    final Map<String, Vote> votes = new LinkedHashMap<>();
  }

  private final Map<String, Round> sessions =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Round> eldest) {
          return size() > MAX_SESSIONS;
        }
      };

  /** The issue the session is estimating ({@value #FIRST_ISSUE} for a new session). */
  synchronized String currentIssue(String session) {
    Round round = sessions.get(session);
    return round == null ? FIRST_ISSUE : round.issueKey;
  }

  /**
   * Records (or replaces) a participant's vote on the current issue.
   *
   * @throws Refused when {@code issueKey} is no longer current, the votes are already revealed, or
   *     the round is full
   */
  synchronized void vote(String session, String issueKey, Vote vote) {
    Round round = current(session, issueKey);
    if (round.revealed) {
      throw new Refused("the votes on " + issueKey + " are revealed: go to the next issue");
    }
    if (round.votes.size() >= MAX_VOTERS && !round.votes.containsKey(vote.participantId())) {
      throw new Refused("at most " + MAX_VOTERS + " voters per issue");
    }
    round.votes.put(vote.participantId(), vote);
  }

  /**
   * Reveals the current issue's votes (again, if asked twice).
   *
   * @return the votes in the order they were first cast
   * @throws Refused when {@code issueKey} is no longer current
   */
  synchronized List<Vote> reveal(String session, String issueKey) {
    Round round = current(session, issueKey);
    round.revealed = true;
    return new ArrayList<>(round.votes.values());
  }

  /**
   * Moves the session from {@code issueKey} to the next issue, with no votes.
   *
   * @return the next issue's key ({@code DEMO-<n+1>})
   * @throws Refused when {@code issueKey} is no longer current (someone advanced first)
   */
  synchronized String advance(String session, String issueKey) {
    Round round = current(session, issueKey);
    round.issueKey = next(issueKey);
    round.revealed = false;
    round.votes.clear();
    return round.issueKey;
  }

  private Round current(String session, String issueKey) {
    Round round = sessions.computeIfAbsent(session, s -> new Round());
    if (!round.issueKey.equals(issueKey)) {
      throw new Refused(issueKey + " is not being estimated any more (now " + round.issueKey + ")");
    }
    return round;
  }

  private static String next(String issueKey) {
    String digits = issueKey.substring(issueKey.lastIndexOf('-') + 1);
    long n;
    try {
      n = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      n = 0;
    }
    return "DEMO-" + (n + 1);
  }
}
