package dev.relay.publish.history;

import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.EventId;
import dev.relay.contracts.RoomName;
import dev.relay.engine.EventLog;
import dev.relay.engine.History;
import dev.relay.engine.StoredEvent;
import dev.relay.publish.auth.PublishAuthenticator;
import dev.relay.service.http.ProblemException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The history read of SPEC §11, transport-neutral: {@code GET /v1/rooms/{room}/history?limit=N&
 * before=<id>}. Checks, in order: credentials (as publishing: a bearer API key, or a signature of
 * the empty body), then {@code room} (a room name of SPEC §4), {@code limit} (1 to {@value
 * #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) and {@code before} (an event id, exclusive); each
 * refusal is a {@link ProblemException} naming the field. The answer is the body {@code
 * {"events":[envelope…],"more":bool}}, newest first, the envelopes as stored (not re-encoded). A
 * {@code before} of another epoch of the room (its events lost) answers no events. Thread-safe.
 */
public final class RoomHistoryReader {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = EventLog.HISTORY_MAX;

  private static final byte[] NO_BODY = new byte[0];

  private final PublishAuthenticator authenticator;
  private final EventLog log;

  public RoomHistoryReader(PublishAuthenticator authenticator, EventLog log) {
    this.authenticator = authenticator;
    this.log = log;
  }

  /**
   * Reads one page; fails with a plain {@link ProblemException} (401, 400, or 503 when the store is
   * unreachable), never a wrapper, so exception handlers see it.
   */
  public CompletionStage<String> read(
      String authorization, String signature, String room, String limit, String before) {
    CompletableFuture<String> answer = new CompletableFuture<>();
    try {
      admit(authorization, signature);
      String name =
          RoomName.parse(room)
              .orElseThrow(() -> ProblemException.invalid("room", "room must be <kind>:<id>"))
              .toString();
      int count = limit(limit);
      EventId from = before == null ? null : eventId(before);
      log.history(name, count, from)
          .whenComplete(
              (page, failure) -> {
                if (failure == null) {
                  answer.complete(body(page));
                } else {
                  answer.completeExceptionally(
                      new ProblemException(
                          503,
                          ErrorCodes.UNAVAILABLE,
                          "the event store is unreachable; retry shortly",
                          null,
                          1));
                }
              });
    } catch (ProblemException e) {
      answer.completeExceptionally(e);
    }
    return answer;
  }

  private void admit(String authorization, String signature) {
    ReadCredentials.require(authenticator, authorization, signature, NO_BODY);
  }

  private static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ProblemException.invalid("limit", "limit must be an integer from 1 to " + MAX_LIMIT);
    }
    int value = Integer.parseInt(text);
    if (value < 1 || value > MAX_LIMIT) {
      throw ProblemException.invalid("limit", "limit must be an integer from 1 to " + MAX_LIMIT);
    }
    return value;
  }

  private static EventId eventId(String text) {
    return EventId.parse(text)
        .orElseThrow(
            () -> ProblemException.invalid("before", "before must be an event id from this room"));
  }

  private static String body(History page) {
    StringBuilder out = new StringBuilder("{\"events\":[");
    for (int i = 0; i < page.events().size(); i++) {
      StoredEvent event = page.events().get(i);
      out.append(i == 0 ? "" : ",").append(event.envelopeJson());
    }
    return out.append("],\"more\":").append(page.more()).append('}').toString();
  }
}
