package dev.relay.gateway.session;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.relay.contracts.protocol.json.ServerMessages.Member;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.engine.presence.PresenceLoss;
import dev.relay.engine.presence.PresenceStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence shared by every gateway through the {@link PresenceStore} (Redis in production). When a
 * user's first connection joins a room it publishes {@code presence.joined} {sub, info} to the
 * room, and {@code presence.left} when the last one leaves — through the event log, so every
 * instance delivers them; both types are volatile (live only, never replayed). A crashed gateway's
 * members are removed by {@link #sweep} on the surviving instances once its heartbeat is older than
 * the store's TTL, and their {@code presence.left} is published exactly once. Never blocks.
 *
 * <p>Pacing (SPEC §10): a {@code presence.left} is announced {@link #PACE} after the user's last
 * connection left, and only if the user is still absent then; a rejoin on this gateway within that
 * time cancels it and announces no {@code presence.joined} either. So a rapid leave-join announces
 * nothing, and each of {@code presence.joined} / {@code presence.left} for one member of one room
 * is announced at most once per {@link #PACE} by this gateway, however fast a client churns. (A
 * user who leaves on one gateway and rejoins on another within the pace gets a second {@code
 * presence.joined} and no {@code presence.left}: a repeat, never a wrong final state.)
 *
 * <p>Lifecycle webhooks: each announced presence event also goes to the {@link LifecycleSink}, and
 * so do {@code room.occupied} / {@code room.vacated} when the store reports that a join made the
 * room's first present user or a leave or sweep removed its last — once per occupation,
 * cluster-wide, not paced.
 */
public final class StorePresenceDirectory implements PresenceDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(StorePresenceDirectory.class);
  private static final OutageWarning NOT_RECORDED =
      new OutageWarning(LOG, "presence leave not recorded", Duration.ofSeconds(10));
  private static final OutageWarning JOIN_NOT_RECORDED =
      new OutageWarning(LOG, "presence join not recorded", Duration.ofSeconds(10));

  /** An event type this directory announces, with the warning its failed appends count into. */
  private record Announcement(String type, OutageWarning notPublished) {
    Announcement(String type) {
      // A gateway stopped while Redis is down announces a departure per connection: one line per
      // interval, not 10,000.
      this(type, new OutageWarning(LOG, type + " not published", Duration.ofSeconds(10)));
    }
  }

  private static final Announcement JOINED = new Announcement("presence.joined");
  private static final Announcement LEFT = new Announcement("presence.left");

  private final PresenceStore store;
  private final EventLog log;
  private final String instanceId;

  /**
   * The pace timers of every directory in the process: one daemon thread. ({@code
   * CompletableFuture.delayedExecutor} would start a new thread per departure on a 2-core machine,
   * where its default pool has no thread to spare: 10,000 threads for 10,000 disconnects.)
   */
  private static final ScheduledExecutorService PACER =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread t = new Thread(task, "relay-presence-pace");
            t.setDaemon(true);
            return t;
          });

  private final long paceMillis;
  private final ConcurrentHashMap<String, Object> pendingLeft = new ConcurrentHashMap<>();
  private final LifecycleSink lifecycle;

  /** How long a departure waits before it is announced. */
  public static final Duration PACE = Duration.ofSeconds(1);

  public StorePresenceDirectory(PresenceStore store, EventLog log, String instanceId) {
    this(store, log, instanceId, PACE, LifecycleSink.NONE);
  }

  /** Also tells {@code lifecycle} each announced presence event (for lifecycle webhooks). */
  public StorePresenceDirectory(
      PresenceStore store, EventLog log, String instanceId, LifecycleSink lifecycle) {
    this(store, log, instanceId, PACE, lifecycle);
  }

  StorePresenceDirectory(PresenceStore store, EventLog log, String instanceId, Duration pace) {
    this(store, log, instanceId, pace, LifecycleSink.NONE);
  }

  StorePresenceDirectory(
      PresenceStore store,
      EventLog log,
      String instanceId,
      Duration pace,
      LifecycleSink lifecycle) {
    this.lifecycle = lifecycle;
    this.store = store;
    this.log = log;
    this.instanceId = instanceId;
    this.paceMillis = pace.toMillis();
  }

  @Override
  public void joined(String room, String sub, String connectionId, String info) {
    store
        .enter(room, sub, connectionId, instanceId, info)
        .whenComplete(
            (change, failure) -> {
              if (failure != null) {
                JOIN_NOT_RECORDED.report(failure);
                return;
              }
              if (change.room()) {
                lifecycle.room("room.occupied", room);
              }
              if (change.member() && pendingLeft.remove(key(room, sub)) == null) {
                announce(room, JOINED, payload(sub, "info", info));
              }
            });
  }

  /**
   * Stores the state, then publishes {@code presence.updated} {sub, state} to the room (volatile,
   * through the event log like {@code presence.joined}). Completes once both are done.
   */
  @Override
  public CompletionStage<Boolean> setState(String room, String sub, String state) {
    return store
        .setState(room, sub, state)
        .thenCompose(
            stored ->
                stored
                    ? log.append(
                            new EventDraft(
                                room,
                                "presence.updated",
                                payload(sub, "state", state),
                                null,
                                null,
                                null,
                                null))
                        .thenApply(appended -> true)
                    : CompletableFuture.completedFuture(false));
  }

  @Override
  public void left(String room, String sub, String connectionId) {
    store
        .exit(room, sub, connectionId, instanceId)
        .whenComplete(
            (change, failure) -> {
              if (failure != null) {
                NOT_RECORDED.report(failure);
                return;
              }
              if (change.room()) {
                lifecycle.room("room.vacated", room);
              }
              if (change.member()) {
                announceLeftLater(room, sub);
              }
            });
  }

  @Override
  public CompletionStage<List<Member>> members(String room) {
    return store
        .members(room)
        .thenApply(
            list ->
                list.stream()
                    .map(m -> new Member(m.sub(), m.joinedAt(), m.info(), m.state()))
                    .toList());
  }

  /**
   * Renews this instance's liveness. Completes with false when the store had already given this
   * instance up (its members were swept): the caller must then {@link #joined} its connections
   * again.
   */
  public CompletionStage<Boolean> heartbeat() {
    return store.heartbeat(instanceId);
  }

  /** Removes members of dead instances and announces who left; bounded to {@code maxRooms}. */
  public CompletionStage<Integer> sweep(int maxRooms) {
    return store
        .sweep(maxRooms)
        .thenApply(
            losses -> {
              for (PresenceLoss loss : losses) {
                announce(loss.room(), LEFT, payload(loss.sub(), null, null));
                if (loss.roomVacated()) {
                  lifecycle.room("room.vacated", loss.room());
                }
              }
              return losses.size();
            });
  }

  private void announceLeftLater(String room, String sub) {
    String key = key(room, sub);
    Object mark = new Object();
    pendingLeft.put(key, mark);
    PACER.schedule(
        () -> {
          if (pendingLeft.remove(key, mark)) {
            announceLeftIfAbsent(room, sub);
          }
          // else: rejoined here meanwhile, flushed, or a later departure owns the key
        },
        paceMillis,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Announces every departure still waiting for its pace, now (on shutdown, so that no member of
   * this gateway stays present in other gateways' eyes). Completes when they are appended.
   */
  public CompletableFuture<Void> flushPending() {
    List<CompletableFuture<Void>> sent = new java.util.ArrayList<>();
    for (String key : List.copyOf(pendingLeft.keySet())) {
      if (pendingLeft.remove(key) != null) {
        int split = key.indexOf('\u0000');
        sent.add(announceLeftIfAbsent(key.substring(0, split), key.substring(split + 1)));
      }
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Void> announceLeftIfAbsent(String room, String sub) {
    return store
        .members(room)
        .toCompletableFuture()
        .handle(
            (members, failure) ->
                failure == null && members.stream().anyMatch(m -> m.sub().equals(sub)))
        .thenCompose(
            back ->
                back
                    ? CompletableFuture.completedFuture(null)
                    : announce(room, LEFT, payload(sub, null, null)));
  }

  private static String key(String room, String sub) {
    return room + '\u0000' + sub;
  }

  /**
   * {@code {"sub":…}}, plus {@code field} with the raw JSON object {@code json} (null when absent)
   * when {@code field} is given; {@code json} is compact JSON the gateway produced itself.
   */
  private static String payload(String sub, String field, String json) {
    String payload = JsonNodeFactory.instance.objectNode().put("sub", sub).toString();
    if (field == null) {
      return payload;
    }
    return payload.substring(0, payload.length() - 1)
        + ",\""
        + field
        + "\":"
        + (json == null ? "null" : json)
        + "}";
  }

  private CompletableFuture<Void> announce(String room, Announcement kind, String payload) {
    return log.append(new EventDraft(room, kind.type(), payload, null, null, null, null))
        .toCompletableFuture()
        .handle(
            (appended, failure) -> {
              if (failure != null) {
                kind.notPublished().report(failure);
              } else {
                lifecycle.presence(kind.type(), appended.envelopeJson());
              }
              return null;
            });
  }
}
