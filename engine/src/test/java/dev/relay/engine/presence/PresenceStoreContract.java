package dev.relay.engine.presence;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PresenceStore} must do. Two stores from {@link #openShared} play two gateway
 * instances on one shared store.
 */
public abstract class PresenceStoreContract {

  private static final String ROOM = "team:42";
  private static final Duration SHORT_TTL = Duration.ofMillis(1500);
  private final List<PresenceStore> opened = new ArrayList<>();

  /** {@code count} stores over one fresh, shared, empty store. */
  protected abstract List<PresenceStore> openShared(int count, Duration instanceTtl);

  private List<PresenceStore> stores(int count, Duration ttl) {
    List<PresenceStore> stores = openShared(count, ttl);
    opened.addAll(stores);
    return stores;
  }

  private PresenceStore store() {
    return stores(1, Duration.ofSeconds(30)).get(0);
  }

  @AfterEach
  void closeStores() {
    opened.forEach(PresenceStore::close);
  }

  @Test
  void firstJoinAndLastLeaveAreReportedAcrossInstances() {
    List<PresenceStore> gateways = stores(2, Duration.ofSeconds(30));
    PresenceStore a = gateways.get(0);
    PresenceStore b = gateways.get(1);

    assertThat(done(a.join(ROOM, "alice", "c1", "gw-a"))).isTrue();
    assertThat(done(b.join(ROOM, "alice", "c2", "gw-b"))).isFalse();
    assertThat(done(b.members(ROOM))).extracting(PresenceMember::sub).containsExactly("alice");

    assertThat(done(a.leave(ROOM, "alice", "c1", "gw-a"))).isFalse();
    assertThat(done(a.members(ROOM))).extracting(PresenceMember::sub).containsExactly("alice");
    assertThat(done(b.leave(ROOM, "alice", "c2", "gw-b"))).isTrue();
    assertThat(done(a.members(ROOM))).isEmpty();
  }

  @Test
  void theRoomIsReportedOccupiedByItsFirstUserAndVacatedByItsLastOnceAcrossInstances() {
    List<PresenceStore> gateways = stores(2, Duration.ofSeconds(30));
    PresenceStore a = gateways.get(0);
    PresenceStore b = gateways.get(1);
    assertThat(done(a.enter(ROOM, "alice", "c1", "gw-a")))
        .isEqualTo(PresenceChange.MEMBER_AND_ROOM);
    assertThat(done(b.enter(ROOM, "alice", "c2", "gw-b"))).isEqualTo(PresenceChange.NONE);
    assertThat(done(b.enter(ROOM, "bob", "c3", "gw-b"))).isEqualTo(PresenceChange.MEMBER);
    assertThat(done(a.enter("team:7", "bob", "c4", "gw-a")))
        .isEqualTo(PresenceChange.MEMBER_AND_ROOM);

    assertThat(done(a.exit(ROOM, "alice", "c1", "gw-a"))).isEqualTo(PresenceChange.NONE);
    assertThat(done(b.exit(ROOM, "alice", "c2", "gw-b"))).isEqualTo(PresenceChange.MEMBER);
    assertThat(done(a.exit(ROOM, "bob", "c3", "gw-b"))).isEqualTo(PresenceChange.MEMBER_AND_ROOM);
    assertThat(done(a.exit(ROOM, "bob", "c3", "gw-b"))).isEqualTo(PresenceChange.NONE);
    assertThat(done(b.enter(ROOM, "carol", "c5", "gw-b")))
        .isEqualTo(PresenceChange.MEMBER_AND_ROOM);
  }

  @Test
  void joiningTwiceOrLeavingAnUnknownConnectionChangesNothing() {
    PresenceStore store = store();
    assertThat(done(store.join(ROOM, "alice", "c1", "gw-a"))).isTrue();
    assertThat(done(store.join(ROOM, "alice", "c1", "gw-a"))).isFalse();
    assertThat(done(store.leave(ROOM, "alice", "c9", "gw-a"))).isFalse();
    assertThat(done(store.leave("team:other", "alice", "c1", "gw-a"))).isFalse();

    assertThat(done(store.leave(ROOM, "alice", "c1", "gw-a"))).isTrue();
    assertThat(done(store.leave(ROOM, "alice", "c1", "gw-a"))).isFalse();
  }

  @Test
  void membersListsEachUserOnceWithTheEarliestJoinSortedByJoinTime() {
    PresenceStore store = store();
    Instant before = Instant.now().minusSeconds(1);
    done(store.join(ROOM, "zoe", "c1", "gw-a"));
    awaitNextMilli();
    done(store.join(ROOM, "bob", "c2", "gw-a"));
    awaitNextMilli();
    done(store.join(ROOM, "zoe", "c3", "gw-b"));
    done(store.join("team:other", "carol", "c4", "gw-a"));

    List<PresenceMember> members = done(store.members(ROOM));

    assertThat(members).extracting(PresenceMember::sub).containsExactly("zoe", "bob");
    assertThat(members.get(0).joinedAt()).isBefore(members.get(1).joinedAt());
    assertThat(members.get(0).joinedAt()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
    done(store.leave(ROOM, "zoe", "c1", "gw-a"));
    assertThat(done(store.members(ROOM)))
        .extracting(PresenceMember::sub)
        .containsExactly("bob", "zoe");
  }

  @Test
  void subsMayHoldAnyCharacter() {
    PresenceStore store = store();
    assertThat(done(store.join(ROOM, "a|b:c d", "c1", "gw-a"))).isTrue();
    assertThat(done(store.members(ROOM)))
        .extracting(PresenceMember::sub)
        .containsExactly("a|b:c d");
    assertThat(done(store.leave(ROOM, "a|b:c d", "c1", "gw-a"))).isTrue();
  }

  @Test
  void idsWithTheSeparatorAreRefused() {
    PresenceStore store = store();
    assertThatThrownBy(() -> store.join(ROOM, "alice", "c|1", "gw-a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.heartbeat("gw|a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twoTabsOfOneUserJoiningAtOnceOnTwoInstancesGiveExactlyOneFirst() throws Exception {
    List<PresenceStore> gateways = stores(2, Duration.ofSeconds(30));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 20; round++) {
        String room = "team:race-" + round;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> joins = new ArrayList<>();
        for (int tab = 0; tab < 8; tab++) {
          PresenceStore gateway = gateways.get(tab % 2);
          String connection = "c" + tab;
          String instance = "gw-" + (tab % 2);
          joins.add(
              CompletableFuture.supplyAsync(
                  () -> {
                    awaitLatch(go);
                    return done(gateway.join(room, "alice", connection, instance));
                  },
                  pool));
        }
        go.countDown();
        assertThat(joins.stream().map(CompletableFuture::join).filter(first -> first))
            .as("firsts in round " + round)
            .hasSize(1);
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDeadInstancesMembersVanishAfterTheTtlAndEachLossIsReportedOnce() {
    List<PresenceStore> gateways = stores(2, SHORT_TTL);
    PresenceStore dying = gateways.get(0);
    PresenceStore alive = gateways.get(1);
    done(dying.heartbeat("gw-dead"));
    done(alive.heartbeat("gw-live"));
    done(dying.join(ROOM, "alice", "c1", "gw-dead"));
    done(dying.join(ROOM, "carol", "c2", "gw-dead"));
    done(dying.join("team:7", "alice", "c1", "gw-dead"));
    done(alive.join(ROOM, "carol", "c3", "gw-live"));
    done(alive.join(ROOM, "bob", "c4", "gw-live"));
    assertThat(done(alive.members(ROOM))).hasSize(3);

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertThat(done(alive.heartbeat("gw-live"))).isTrue();
              assertThat(done(alive.members(ROOM)))
                  .extracting(PresenceMember::sub)
                  .containsExactlyInAnyOrder("carol", "bob");
            });
    assertThat(done(alive.members("team:7"))).isEmpty();

    CompletableFuture<List<PresenceLoss>> first = alive.sweep(100).toCompletableFuture();
    CompletableFuture<List<PresenceLoss>> second = dying.sweep(100).toCompletableFuture();
    List<PresenceLoss> reported = new ArrayList<>(done(first));
    reported.addAll(done(second));
    reported.addAll(done(alive.sweep(100)));

    assertThat(reported)
        .containsExactlyInAnyOrder(
            new PresenceLoss(ROOM, "alice"), new PresenceLoss("team:7", "alice", true));
    assertThat(done(alive.leave(ROOM, "carol", "c3", "gw-live"))).isTrue();
    assertThat(done(alive.members(ROOM))).extracting(PresenceMember::sub).containsExactly("bob");
  }

  @Test
  void aSweepVisitsAtMostMaxRoomsAndLaterSweepsFinishTheJob() {
    PresenceStore store = stores(1, SHORT_TTL).get(0);
    for (int room = 0; room < 5; room++) {
      done(store.join("team:" + room, "alice", "c1", "gw-dead"));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> done(store.members("team:0")).isEmpty());

    List<PresenceLoss> firstSweep = done(store.sweep(2));
    assertThat(firstSweep).hasSizeLessThanOrEqualTo(2).isNotEmpty();
    List<PresenceLoss> all = new ArrayList<>(firstSweep);
    for (int i = 0; i < 5; i++) {
      all.addAll(done(store.sweep(2)));
    }
    assertThat(all).hasSize(5).doesNotHaveDuplicates();
    assertThat(done(store.sweep(10))).isEmpty();
  }

  @Test
  void aHeartbeatAfterALapseSaysSoAndAJoinedConnectionCountsAgain() {
    PresenceStore store = stores(1, SHORT_TTL).get(0);
    done(store.heartbeat("gw-a"));
    assertThat(done(store.heartbeat("gw-a"))).isTrue();
    done(store.join(ROOM, "alice", "c1", "gw-a"));

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> done(store.members(ROOM)).isEmpty());

    assertThat(done(store.heartbeat("gw-a"))).isFalse();
    assertThat(done(store.members(ROOM))).extracting(PresenceMember::sub).containsExactly("alice");
  }

  @Test
  void infoAndStateAreOnePerUserAcrossConnectionsAndInstancesAndTheLatestWins() {
    List<PresenceStore> gateways = stores(2, Duration.ofSeconds(30));
    PresenceStore a = gateways.get(0);
    PresenceStore b = gateways.get(1);
    done(a.join(ROOM, "alice", "c1", "gw-a", "{\"name\":\"Alice\"}"));
    done(b.join(ROOM, "alice", "c2", "gw-b", "{\"name\":\"Alice B\"}"));
    done(b.join(ROOM, "bob", "c3", "gw-b"));

    assertThat(done(a.setState(ROOM, "alice", "{\"voted\":false}"))).isTrue();
    assertThat(done(b.setState(ROOM, "alice", "{\"voted\":true}"))).isTrue();

    assertThat(done(a.members(ROOM)))
        .extracting(PresenceMember::sub, PresenceMember::info, PresenceMember::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "alice", "{\"name\":\"Alice B\"}", "{\"voted\":true}"),
            org.assertj.core.groups.Tuple.tuple("bob", null, null));
    assertThat(done(b.members("team:other"))).isEmpty();
  }

  @Test
  void stateOfAUserWithoutAConnectionIsNotStoredAndInfoAndStateGoWithTheLastConnection() {
    PresenceStore store = store();
    assertThat(done(store.setState(ROOM, "alice", "{}"))).isFalse();
    done(store.join(ROOM, "alice", "c1", "gw-a", "{\"name\":\"A\"}"));
    done(store.join(ROOM, "alice", "c2", "gw-a", "{\"name\":\"A\"}"));
    assertThat(done(store.members(ROOM)).get(0).state()).isNull();
    done(store.setState(ROOM, "alice", "{\"n\":1}"));

    done(store.leave(ROOM, "alice", "c1", "gw-a"));
    assertThat(done(store.members(ROOM)).get(0).state()).isEqualTo("{\"n\":1}");
    done(store.leave(ROOM, "alice", "c2", "gw-a"));
    assertThat(done(store.setState(ROOM, "alice", "{\"n\":2}"))).isFalse();

    done(store.join(ROOM, "alice", "c3", "gw-a"));
    PresenceMember back = done(store.members(ROOM)).get(0);
    assertThat(back.info()).isNull();
    assertThat(back.state()).isNull();
  }

  @Test
  void aSweptUserLosesInfoAndState() {
    List<PresenceStore> gateways = stores(2, SHORT_TTL);
    PresenceStore dying = gateways.get(0);
    PresenceStore alive = gateways.get(1);
    done(dying.join(ROOM, "alice", "c1", "gw-dead", "{\"name\":\"A\"}"));
    done(dying.setState(ROOM, "alice", "{\"n\":1}"));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> done(alive.members(ROOM)).isEmpty());
    List<PresenceLoss> lost = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      lost.addAll(done(alive.sweep(100)));
    }
    assertThat(lost)
        .containsExactly(new PresenceLoss(ROOM, "alice", true)); // she was its only user

    done(alive.join(ROOM, "alice", "c2", "gw-live"));
    assertThat(done(alive.members(ROOM)))
        .extracting(PresenceMember::info, PresenceMember::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(null, null));
  }

  @Test
  void infoAndStateAreBoundedInUtf8Bytes() {
    PresenceStore store = store();
    String fits = "{\"n\":\"" + "é".repeat((PresenceStore.MAX_DATA_BYTES - 8) / 2) + "\"}";
    String tooLarge = "{\"n\":\"" + "é".repeat(PresenceStore.MAX_DATA_BYTES / 2) + "\"}";
    assertThat(done(store.join(ROOM, "alice", "c1", "gw-a", fits))).isTrue();
    assertThat(done(store.setState(ROOM, "alice", fits))).isTrue();

    assertThatThrownBy(() -> done(store.join(ROOM, "bob", "c2", "gw-a", tooLarge)))
        .hasRootCauseInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> done(store.setState(ROOM, "alice", tooLarge)))
        .hasRootCauseInstanceOf(IllegalArgumentException.class);
    assertThat(done(store.members(ROOM)))
        .extracting(PresenceMember::sub, PresenceMember::info, PresenceMember::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", fits, fits));
  }

  private static void awaitNextMilli() {
    long now = System.currentTimeMillis();
    await().pollInterval(Duration.ofMillis(1)).until(() -> System.currentTimeMillis() > now + 1);
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Pages of {@code limit} rooms with {@code prefix}, concatenated, each page checked full. */
  private static List<OccupiedRoom> allPages(PresenceStore store, String prefix, int limit) {
    List<OccupiedRoom> all = new ArrayList<>();
    String after = null;
    for (int page = 0; page < 100; page++) {
      RoomPage next = done(store.rooms(prefix, after, limit));
      all.addAll(next.rooms());
      if (!next.more()) {
        return all;
      }
      assertThat(next.rooms()).hasSize(limit);
      after = next.last();
    }
    throw new AssertionError("more than 100 pages");
  }

  @Test
  void occupiedRoomsAreListedInNameOrderByPrefixWithUserCountsAcrossPages() {
    List<PresenceStore> gateways = stores(2, Duration.ofSeconds(30));
    PresenceStore a = gateways.get(0);
    PresenceStore b = gateways.get(1);
    List<OccupiedRoom> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String room = String.format("list:r%02d", i);
      done(a.join(room, "alice", "c1", "gw-a"));
      done(b.join(room, "alice", "c2", "gw-b"));
      if (i % 3 == 0) {
        done(b.join(room, "bob", "c3", "gw-b"));
      }
      expected.add(new OccupiedRoom(room, i % 3 == 0 ? 2 : 1));
    }
    done(a.join("lists:x", "carol", "c4", "gw-a"));
    done(a.join("other:1", "carol", "c4", "gw-a"));

    assertThat(allPages(b, "list:", 5)).isEqualTo(expected);
    assertThat(allPages(a, "list:", 1000)).isEqualTo(expected);
    assertThat(allPages(a, "list", 7)).extracting(OccupiedRoom::room).endsWith("lists:x");
    assertThat(allPages(a, "", 4)).extracting(OccupiedRoom::room).contains("other:1", "list:r22");
    assertThat(done(a.rooms("list:r1", null, 100)).rooms()).hasSize(10);
    assertThat(done(a.rooms("list:", "list:r21", 100)).rooms()).containsExactly(expected.get(22));
    assertThat(done(a.rooms("none:", null, 10))).isEqualTo(new RoomPage(List.of(), false));

    done(a.leave("list:r00", "alice", "c1", "gw-a"));
    assertThat(done(a.rooms("list:r00", null, 10)).rooms())
        .containsExactly(new OccupiedRoom("list:r00", 2));
    done(b.leave("list:r00", "alice", "c2", "gw-b"));
    assertThat(done(a.rooms("list:r00", null, 10)).rooms())
        .containsExactly(new OccupiedRoom("list:r00", 1));
    done(b.leave("list:r00", "bob", "c3", "gw-b"));
    assertThat(done(a.rooms("list:r00", null, 10)).rooms()).isEmpty();
    assertThatThrownBy(() -> a.rooms("", null, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.rooms("", null, 1001)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSweptInstancesRoomsLeaveTheListing() {
    List<PresenceStore> gateways = stores(2, SHORT_TTL);
    PresenceStore dying = gateways.get(0);
    PresenceStore alive = gateways.get(1);
    done(dying.join("swept:a", "alice", "c1", "gw-dead"));
    done(dying.join("swept:b", "alice", "c1", "gw-dead"));
    done(alive.join("swept:b", "bob", "c2", "gw-live"));
    assertThat(allPages(alive, "swept:", 10))
        .containsExactly(new OccupiedRoom("swept:a", 1), new OccupiedRoom("swept:b", 2));

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              done(alive.heartbeat("gw-live"));
              done(alive.sweep(100));
              assertThat(allPages(alive, "swept:", 10))
                  .containsExactly(new OccupiedRoom("swept:b", 1));
            });
  }
}
