package dev.relay.gateway.hub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The local members of one room, immutable, with the members grouped by their executor so that a
 * dispatch runs one task per event loop that hands the event to each of that loop's members in
 * turn. Joins and leaves build a new instance (copy-on-write).
 */
final class RoomMembers {

  private record Group(Executor executor, Subscriber[] members) {}

  private static final RoomMembers EMPTY = new RoomMembers(new Subscriber[0], new Group[0]);

  private final Subscriber[] all;
  private final Group[] groups;

  private RoomMembers(Subscriber[] all, Group[] groups) {
    this.all = all;
    this.groups = groups;
  }

  static RoomMembers empty() {
    return EMPTY;
  }

  int size() {
    return all.length;
  }

  List<Subscriber> list() {
    return List.of(all);
  }

  /** This set with {@code s} added; the same instance if it is already a member. */
  RoomMembers with(Subscriber s) {
    for (Subscriber member : all) {
      if (member == s) {
        return this;
      }
    }
    Subscriber[] grown = Arrays.copyOf(all, all.length + 1);
    grown[all.length] = s;
    return new RoomMembers(grown, group(grown));
  }

  /** This set without {@code s}; null when it becomes empty. */
  RoomMembers without(Subscriber s) {
    int at = -1;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == s) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      return this;
    }
    if (all.length == 1) {
      return null;
    }
    Subscriber[] shrunk = new Subscriber[all.length - 1];
    System.arraycopy(all, 0, shrunk, 0, at);
    System.arraycopy(all, at + 1, shrunk, at, all.length - at - 1);
    return new RoomMembers(shrunk, group(shrunk));
  }

  /** Hands {@code delivery} to every member: one task per executor. */
  void dispatch(Delivery delivery) {
    for (Group g : groups) {
      Subscriber[] members = g.members();
      if (members.length == 1) {
        Subscriber only = members[0];
        g.executor().execute(() -> only.receive(delivery));
      } else {
        g.executor()
            .execute(
                () -> {
                  for (Subscriber s : members) {
                    s.receive(delivery);
                  }
                });
      }
    }
  }

  private static Group[] group(Subscriber[] members) {
    List<Executor> executors = new ArrayList<>(4);
    List<List<Subscriber>> byExecutor = new ArrayList<>(4);
    for (Subscriber s : members) {
      Executor e = s.executor();
      int at = -1;
      for (int i = 0; i < executors.size(); i++) {
        if (executors.get(i) == e) {
          at = i;
          break;
        }
      }
      if (at < 0) {
        executors.add(e);
        byExecutor.add(new ArrayList<>());
        at = executors.size() - 1;
      }
      byExecutor.get(at).add(s);
    }
    Group[] groups = new Group[executors.size()];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = new Group(executors.get(i), byExecutor.get(i).toArray(new Subscriber[0]));
    }
    return groups;
  }
}
