package dev.relay.gateway.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What both protocol clients share: a backlog of decoded messages that no expectation took yet, so
 * that a reply and an event racing each other never fail a test, and the bookkeeping a stock client
 * does (rooms, last event id per room). Subclasses decode their wire format into {@link Incoming}.
 */
abstract class KitClient implements ProtocolClient {

  static final Duration WAIT = Duration.ofSeconds(10);

  final Set<String> rooms = new LinkedHashSet<>();
  final Map<String, String> lastIds = new LinkedHashMap<>();
  private final Deque<Incoming> backlog = new ArrayDeque<>();
  private boolean ended;

  /** The next decoded message off the wire, or null when none arrives within {@code wait}. */
  abstract Incoming read(Duration wait);

  /** The first message, backlog first, that matches; others stay in the backlog in order. */
  final Incoming take(Predicate<Incoming> match, String what) {
    for (Iterator<Incoming> it = backlog.iterator(); it.hasNext(); ) {
      Incoming m = it.next();
      if (match.test(m)) {
        it.remove();
        return m;
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Incoming m = ended ? null : readOne(Duration.ofNanos(deadline - System.nanoTime()));
      if (m == null) {
        throw new AssertionError("expected " + what + " within " + WAIT + "; got " + backlog);
      }
      if (match.test(m)) {
        return m;
      }
      backlog.add(m);
    }
  }

  private Incoming readOne(Duration wait) {
    if (wait.isNegative() || wait.isZero()) {
      return null;
    }
    Incoming m = read(wait);
    if (m != null && m.kind() == Incoming.Kind.EVENT) {
      lastIds.put(m.body().path("room").asText(), m.body().path("id").asText());
    }
    if (m != null && m.isPush("unsubscribed")) {
      rooms.remove(m.body().path("room").asText());
    }
    if (m != null && m.kind() == Incoming.Kind.CLOSED) {
      ended = true;
    }
    return m;
  }

  final Answer awaitReply(String ref) {
    return take(m -> m.kind() == Incoming.Kind.REPLY && ref.equals(m.ref()), "reply " + ref)
        .answer();
  }

  private static boolean isRealEvent(Incoming m) {
    return m.kind() == Incoming.Kind.EVENT
        && !m.body().path("type").asText().startsWith("presence.");
  }

  @Override
  public JsonNode expectEvent() {
    return take(KitClient::isRealEvent, "an event").body();
  }

  @Override
  public JsonNode expectPresence(String type) {
    return take(
            m -> m.kind() == Incoming.Kind.EVENT && type.equals(m.body().path("type").asText()),
            "a " + type + " event")
        .body();
  }

  @Override
  public void expectNoEvent(Duration wait) {
    for (Incoming m : backlog) {
      if (isRealEvent(m)) {
        throw new AssertionError("expected no event but had " + m);
      }
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (!ended) {
      Incoming m = readOne(Duration.ofNanos(deadline - System.nanoTime()));
      if (m == null) {
        return;
      }
      if (isRealEvent(m)) {
        throw new AssertionError("expected no event but got " + m);
      }
      backlog.add(m);
    }
  }

  @Override
  public JsonNode expectPush(String name) {
    return take(m -> m.isPush(name), "a message '" + name + "'").body();
  }

  @Override
  public Ending awaitEnd() {
    Incoming end = take(m -> m.kind() == Incoming.Kind.CLOSED, "the end of the connection");
    List<String> errors = new ArrayList<>();
    boolean disconnect = false;
    int events = 0;
    for (Incoming m : backlog) {
      if (m.isPush("error")) {
        errors.add(m.body().path("code").asText());
      } else if (m.kind() == Incoming.Kind.DISCONNECT) {
        disconnect = true;
      } else if (m.kind() == Incoming.Kind.EVENT) {
        events++;
      }
    }
    backlog.clear();
    return new Ending(end.closeCode(), errors, disconnect, events);
  }

  @Override
  public void forgeResumePoint() {
    lastIds.replaceAll((room, id) -> "1-0.zzzzzz");
  }

  @Override
  public void adoptResumePoint(ProtocolClient other) {
    KitClient from = (KitClient) other;
    rooms.addAll(from.rooms);
    lastIds.putAll(from.lastIds);
  }

  /** Records a successful subscribe or unsubscribe in {@link #rooms}. */
  final Answer track(String request, Answer answer) {
    if (answer.ok()) {
      String room = answer.body().path("room").asText();
      if ("subscribe".equals(request)) {
        rooms.add(room);
      } else {
        rooms.remove(room);
      }
    }
    return answer;
  }
}
