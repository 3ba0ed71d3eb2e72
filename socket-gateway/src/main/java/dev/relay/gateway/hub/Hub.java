package dev.relay.gateway.hub;

import dev.relay.engine.StoredEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Rooms → local subscribers of this gateway. Framework-free.
 *
 * <p>Thread-safety: {@link #join} and {@link #leave} may run on any thread; {@link #dispatch} runs
 * on the stream consumer's thread. Membership of a room is an immutable {@link RoomMembers}
 * (copy-on-write), grouped by event loop, so dispatch iterates without locks and costs one task per
 * event loop; joins and leaves (rare next to deliveries) copy. A subscriber that joined before
 * {@code dispatch(e)} started receives {@code e}; one that left before it started does not. Events
 * of one room are dispatched in stream order, so each subscriber sees a room's events in order.
 */
public final class Hub {

  private final ConcurrentHashMap<String, RoomMembers> rooms = new ConcurrentHashMap<>();
  private final LongAdder delivered = new LongAdder();
  private final FanoutObserver observer;
  private volatile StreamVector positions;

  public Hub() {
    this(FanoutObserver.NONE);
  }

  /**
   * @param observer told of every dispatched event and of each write a connection reports
   */
  public Hub(FanoutObserver observer) {
    this.observer = observer;
  }

  /** Where connections report their writes of live deliveries. */
  public FanoutObserver observer() {
    return observer;
  }

  /** Adds {@code subscriber} to {@code room}; a no-op if it is already a member. */
  public void join(String room, Subscriber subscriber) {
    rooms.compute(
        room,
        (name, members) -> (members == null ? RoomMembers.empty() : members).with(subscriber));
  }

  /** Removes {@code subscriber} from {@code room}; the room disappears with its last member. */
  public void leave(String room, Subscriber subscriber) {
    rooms.computeIfPresent(room, (name, members) -> members.without(subscriber));
  }

  /** Hands {@code event} to every local subscriber of its room; returns how many. */
  public int dispatch(StoredEvent event) {
    return dispatch(event, null);
  }

  /**
   * Hands {@code event} to every local subscriber of its room, with the consumer's positions right
   * after it; returns how many. {@link #positions()} is set BEFORE the members are read, so a
   * subscriber that joins and then reads {@link #positions()} receives every event after the
   * positions it read (and perhaps some at or before them).
   */
  public int dispatch(StoredEvent event, StreamVector after) {
    if (after != null) {
      positions = after;
    }
    RoomMembers members = rooms.get(event.room());
    int count = 0;
    if (members != null) {
      members.dispatch(new Delivery(event, after, true));
      count = members.size();
      delivered.add(count);
    }
    observer.dispatched(event, count);
    return count;
  }

  /** The dispatch positions after the last dispatched event (null before the first). */
  public StreamVector positions() {
    return positions;
  }

  /**
   * Sets the positions where dispatching goes on: the consumer's starting point, or where it skips
   * to in a partition whose stream was truncated (see {@code StreamConsumer}).
   */
  public void startAt(StreamVector start) {
    positions = start;
  }

  public int roomCount() {
    return rooms.size();
  }

  /** A snapshot of the local subscribers of {@code room}. */
  public List<Subscriber> members(String room) {
    RoomMembers members = rooms.get(room);
    return members == null ? List.of() : members.list();
  }

  /** A snapshot of every room with its local member count. */
  public Map<String, Integer> roomSizes() {
    Map<String, Integer> sizes = new java.util.HashMap<>();
    rooms.forEach((room, members) -> sizes.put(room, members.size()));
    return sizes;
  }

  public int memberCount(String room) {
    RoomMembers members = rooms.get(room);
    return members == null ? 0 : members.size();
  }

  /** Deliveries handed to subscribers since start. */
  public long deliveredCount() {
    return delivered.sum();
  }
}
