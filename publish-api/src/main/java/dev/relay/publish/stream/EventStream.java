package dev.relay.publish.stream;

import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.EventDraft;
import dev.relay.publish.events.Publisher;
import dev.relay.service.http.ProblemException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The lines of one {@code POST /v1/events:stream} request (SPEC §12), appended one at a time in the
 * order they arrived: a line is validated and appended only after the previous line's append has
 * completed, so the room sees them in order and a subscriber gets each as soon as it is stored.
 *
 * <p>The first valid line fixes the room and takes the stream's one rate-limit token; a refused
 * token ends the stream ({@link Listener#refused}). A valid line for another room is rejected
 * {@code invalid_request}. Once an append fails {@code unavailable} (the engine is down or slow),
 * every later line is rejected {@code unavailable} without being tried, so a room never gets a
 * later line after a missing one.
 *
 * <p>Not thread-safe: every method must run on {@code loop} (the connection's event loop), where
 * every continuation of an append is run as well.
 */
final class EventStream {

  /** What the connection is told. Called on the loop. */
  interface Listener {
    /** Every queued line is done; {@link #queuedBytes()} is 0. */
    void drained();

    /** The stream's rate-limit token was refused: answer this 429 and end the request. */
    void refused(ProblemException problem);
  }

  /** One line's refusal, reported in the final summary. */
  record Rejection(int line, String code, String detail) {}

  private record Pending(int line, byte[] bytes, ProblemException refused) {}

  private final Publisher publisher;
  private final String clientIp;
  private final String traceparent;
  private final Executor loop;
  private final Listener listener;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final List<Rejection> rejected = new ArrayList<>();
  private long queuedBytes;
  private boolean busy;
  private boolean stopped;
  private boolean unavailable;
  private String room;
  private int accepted;

  EventStream(
      Publisher publisher, String clientIp, String traceparent, Executor loop, Listener listener) {
    this.publisher = publisher;
    this.clientIp = clientIp;
    this.traceparent = traceparent;
    this.loop = loop;
    this.listener = listener;
  }

  /** Queues a complete line. */
  void line(int number, byte[] bytes) {
    enqueue(new Pending(number, bytes, null));
  }

  /** Queues the rejection of a line that was too long, in its place in the order. */
  void refuse(int number, ProblemException problem) {
    enqueue(new Pending(number, null, problem));
  }

  /** Drops every queued line and ignores appends still under way (the request is over). */
  void stop() {
    stopped = true;
    queue.clear();
    queuedBytes = 0;
  }

  long queuedBytes() {
    return queuedBytes;
  }

  boolean idle() {
    return !busy && queue.isEmpty();
  }

  int accepted() {
    return accepted;
  }

  /** Rejections so far, in line order. */
  List<Rejection> rejected() {
    return List.copyOf(rejected);
  }

  private void enqueue(Pending pending) {
    if (stopped) {
      return;
    }
    queue.add(pending);
    queuedBytes += pending.bytes() == null ? 0 : pending.bytes().length;
    if (!busy) {
      next();
    }
  }

  /** Handles queued lines until one needs the engine, or none is left. */
  private void next() {
    while (!stopped && !queue.isEmpty()) {
      Pending pending = queue.poll();
      queuedBytes -= pending.bytes() == null ? 0 : pending.bytes().length;
      if (pending.refused() != null) {
        reject(pending.line(), pending.refused());
        continue;
      }
      if (unavailable) {
        rejected.add(
            new Rejection(pending.line(), ErrorCodes.UNAVAILABLE, "an earlier line failed"));
        continue;
      }
      EventDraft draft;
      try {
        draft = publisher.parseLine(pending.bytes(), traceparent);
      } catch (ProblemException e) {
        reject(pending.line(), e);
        continue;
      }
      if (room != null && !room.equals(draft.room())) {
        reject(
            pending.line(),
            ProblemException.invalid("room", "every line of a stream must target the first room"));
        continue;
      }
      busy = true;
      if (room == null) {
        room = draft.room();
        publisher
            .admitStream(clientIp, room)
            .whenCompleteAsync((refused, error) -> admitted(pending, draft, refused), loop);
      } else {
        append(pending, draft);
      }
      return;
    }
    if (!stopped && !busy) {
      listener.drained();
    }
  }

  private void admitted(Pending pending, EventDraft draft, ProblemException refused) {
    if (stopped) {
      return;
    }
    if (refused != null) {
      busy = false;
      stop();
      listener.refused(refused);
      return;
    }
    append(pending, draft);
  }

  private void append(Pending pending, EventDraft draft) {
    publisher
        .appendLine(draft)
        .whenCompleteAsync(
            (appended, error) -> {
              busy = false;
              if (error == null) {
                accepted++;
              } else if (error instanceof ProblemException problem) {
                unavailable |= problem.status() == 503;
                reject(pending.line(), problem);
              } else {
                unavailable = true;
                rejected.add(new Rejection(pending.line(), ErrorCodes.UNAVAILABLE, null));
              }
              next();
            },
            loop);
  }

  private void reject(int line, ProblemException problem) {
    rejected.add(new Rejection(line, problem.code(), problem.getMessage()));
  }
}
