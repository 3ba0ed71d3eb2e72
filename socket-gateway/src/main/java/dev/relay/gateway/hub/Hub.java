package dev.relay.gateway.hub;

import dev.relay.contracts.EventId;
import dev.relay.engine.Feed;
import dev.relay.engine.FeedListener;
import dev.relay.engine.StoredEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Rooms → local subscribers of this gateway, over one {@link Feed} that follows exactly the rooms
 * with local members (SPEC §13). Framework-free.
 *
 * <p>Following: the first local member of a room makes the hub call {@link Feed#follow}, the last
 * one leaving {@link Feed#unfollow}. Both decisions and both calls are made inside one per-room
 * atomic step ({@link ConcurrentHashMap#compute}), so the feed receives {@code follow, unfollow,
 * follow} of a room in the order its membership changed. A follow that failed is made again by the
 * next join of the room.
 *
 * <p>Start positions: {@link #join} answers the position after which the member receives every
 * event of the room — the follow's position for the room's first member, or the room's last
 * dispatched id when it is later (see {@link FollowedRoom} for why no event falls between). Every
 * join answers only once the room's follow completed, so a member told "subscribed" after it can
 * miss nothing published later.
 *
 * <p>Thread-safety: {@link #join} and {@link #leave} may run on any thread; {@link #event} and
 * {@link #positionLost} run on the feed's thread. Membership of a room is an immutable {@link
 * RoomMembers} (copy-on-write), grouped by event loop, so dispatch iterates without locks and costs
 * one task per event loop. A subscriber that joined before {@code event(e)} started receives {@code
 * e}; one that left before it started does not. The feed delivers a room's events in order, so each
 * subscriber sees them in order.
 */
public final class Hub implements FeedListener, AutoCloseable {

  private final ConcurrentHashMap<String, FollowedRoom> rooms = new ConcurrentHashMap<>();
  private final LongAdder delivered = new LongAdder();
  private final FanoutObserver observer;
  private final Feed feed;

  /**
   * @param openFeed opens the feed that delivers to this hub ({@code EventLog::openFeed})
   * @param observer told of every dispatched event, each write a connection reports, lost rooms
   */
  public Hub(Function<FeedListener, Feed> openFeed, FanoutObserver observer) {
    this.observer = observer;
    this.feed = openFeed.apply(this);
  }

  /** Where connections report their writes of live deliveries. */
  public FanoutObserver observer() {
    return observer;
  }

  /** The feed this hub follows its rooms with (health and counters). */
  public Feed feed() {
    return feed;
  }

  /**
   * Adds {@code subscriber} to {@code room} (a no-op if it is already a member) and answers its
   * start position once the room is followed; fails with {@link
   * dev.relay.engine.EngineUnavailableException} when the follow failed (the subscriber stays a
   * member until it leaves).
   */
  public CompletionStage<EventId> join(String room, Subscriber subscriber) {
    FollowedRoom joined =
        rooms.compute(
            room,
            (name, current) -> {
              if (current == null || current.failed()) {
                RoomMembers members = current == null ? RoomMembers.empty() : current.members;
                current = new FollowedRoom(follow(name), members);
              }
              current.members = current.members.with(subscriber);
              return current;
            });
    EventId last = joined.last; // read AFTER the member was added: see FollowedRoom
    return joined.followed.thenApply(start -> FollowedRoom.later(start, last));
  }

  /** Removes {@code subscriber} from {@code room}; the last member leaving unfollows the room. */
  public void leave(String room, Subscriber subscriber) {
    rooms.computeIfPresent(
        room,
        (name, current) -> {
          RoomMembers rest = current.members.without(subscriber);
          if (rest == null) {
            if (!current.failed()) {
              feed.unfollow(name);
            }
            return null;
          }
          current.members = rest;
          return current;
        });
  }

  /** Hands {@code event} to every local subscriber of its room. Feed thread only. */
  @Override
  public void event(StoredEvent event) {
    dispatch(event);
  }

  /**
   * Hands {@code event} to every local subscriber of its room; returns how many. The room's last id
   * is set BEFORE its members are read (see {@link FollowedRoom}).
   */
  int dispatch(StoredEvent event) {
    FollowedRoom room = rooms.get(event.room());
    int count = 0;
    if (room != null) {
      room.last = event.id();
      RoomMembers members = room.members;
      members.dispatch(new Delivery(event, true));
      count = members.size();
      delivered.add(count);
    }
    observer.dispatched(event, count);
    return count;
  }

  /**
   * The feed cannot prove this gateway received every event of {@code room}: the room's position
   * becomes {@code resumeAfter} and every local member is told ({@link Subscriber#roomLost}), so
   * its connection closes and its client recovers. Feed thread only.
   */
  @Override
  public void positionLost(String room, EventId resumeAfter, String reason) {
    FollowedRoom followed = rooms.get(room);
    if (followed == null) {
      return;
    }
    followed.last = resumeAfter;
    List<Subscriber> members = followed.members.list();
    for (Subscriber s : members) {
      s.executor().execute(() -> s.roomLost(room));
    }
    observer.roomLost(reason, members.size());
  }

  public int roomCount() {
    return rooms.size();
  }

  /** A snapshot of the local subscribers of {@code room}. */
  public List<Subscriber> members(String room) {
    FollowedRoom followed = rooms.get(room);
    return followed == null ? List.of() : followed.members.list();
  }

  /** A snapshot of every room with its local member count. */
  public Map<String, Integer> roomSizes() {
    Map<String, Integer> sizes = new HashMap<>();
    rooms.forEach((room, followed) -> sizes.put(room, followed.members.size()));
    return sizes;
  }

  public int memberCount(String room) {
    FollowedRoom followed = rooms.get(room);
    return followed == null ? 0 : followed.members.size();
  }

  /** Deliveries handed to subscribers since start. */
  public long deliveredCount() {
    return delivered.sum();
  }

  /** Closes the feed: no event is dispatched after. Call last, after the connections closed. */
  @Override
  public void close() {
    feed.close();
  }

  private CompletableFuture<EventId> follow(String room) {
    CompletableFuture<EventId> followed;
    try {
      followed = feed.follow(room).toCompletableFuture();
    } catch (RuntimeException e) {
      followed = CompletableFuture.failedFuture(e);
    }
    followed.whenComplete(
        (start, failure) -> {
          if (failure != null) {
            observer.followFailed();
          }
        });
    return followed;
  }
}
