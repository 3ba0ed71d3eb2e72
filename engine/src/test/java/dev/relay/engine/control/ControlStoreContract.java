package dev.relay.engine.control;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ControlStore} must do. Stores from {@link #openShared} are started and share
 * one store, as instances on one Redis do.
 */
public abstract class ControlStoreContract {

  static final Duration KEEP = Duration.ofSeconds(330);
  private final List<ControlStore> opened = new ArrayList<>();

  protected abstract List<ControlStore> openShared(int count, Duration removalKeep);

  protected List<ControlStore> stores(int count) {
    List<ControlStore> stores = openShared(count, KEEP);
    opened.addAll(stores);
    return stores;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(ControlStore::close);
  }

  protected static String sub() {
    return "acct-" + UUID.randomUUID();
  }

  /** Records what a listener heard, one line per signal. */
  static final class Heard implements ControlListener {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void onRemoved(String room, String sub, long removedAtMillis) {
      lines.add("removed " + room + " " + sub + " " + removedAtMillis);
    }

    @Override
    public void onDisconnect(String sub, int code, long atMillis) {
      lines.add("disconnect " + code + " " + sub + " " + atMillis);
    }
  }

  @Test
  void aRemovalIsKnownAtOnceHereAndWithinASecondElsewhereAndHeardOnce() {
    List<ControlStore> stores = stores(2);
    Heard heard = new Heard();
    stores.get(1).addListener(heard);
    String sub = sub();
    long before = System.currentTimeMillis();

    long at = done(stores.get(0).remove("team:42", sub));

    assertThat(at).isBetween(before - 2000, System.currentTimeMillis() + 2000);
    assertThat(stores.get(0).removedAt("team:42", sub)).isEqualTo(at);
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> stores.get(1).removedAt("team:42", sub) == at);
    await()
        .atMost(Duration.ofSeconds(1))
        .until(() -> heard.lines.contains("removed team:42 " + sub + " " + at));
    await().during(Duration.ofMillis(300)).until(() -> heard.lines.size() == 1);
    assertThat(stores.get(1).removedAt("team:43", sub)).isZero();
    assertThat(stores.get(1).removedAt("team:42", sub())).isZero();
  }

  @Test
  void aLaterRemovalOfTheSamePairReplacesTheEarlierAndIsHeardAgain() {
    List<ControlStore> stores = stores(2);
    Heard heard = new Heard();
    stores.get(1).addListener(heard);
    String sub = sub();
    awaitFollowing(stores.get(0), heard);

    long first = done(stores.get(0).remove("team:7", sub));
    long second = done(stores.get(0).remove("team:7", sub));

    assertThat(second).isGreaterThan(first);
    await()
        .atMost(Duration.ofSeconds(1))
        .until(() -> stores.get(1).removedAt("team:7", sub) == second);
    await()
        .atMost(Duration.ofSeconds(1))
        .until(
            () -> heard.lines.stream().filter(l -> l.startsWith("removed team:7 ")).count() == 2);
  }

  /**
   * Waits until {@code heard} (a listener of another store) hears a probe removal made on {@code
   * from}. A store's start does not wait for its channel's subscription, and a removal published
   * before it is active reaches that store only by the reload that follows, as the latest record of
   * its pair: hearing the probe means the channel is followed from then on.
   */
  static void awaitFollowing(ControlStore from, Heard heard) {
    String probe = sub();
    long at = done(from.remove("probe:1", probe));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> heard.lines.contains("removed probe:1 " + probe + " " + at));
  }

  @Test
  void aDisconnectIsHeardOnEveryInstanceOnceWithItsCode() {
    List<ControlStore> stores = stores(2);
    Heard here = new Heard();
    Heard there = new Heard();
    stores.get(0).addListener(here);
    stores.get(1).addListener(there);
    String sub = "user with spaces " + UUID.randomUUID();

    long at = done(stores.get(0).disconnect(sub, 4321));

    String line = "disconnect 4321 " + sub + " " + at;
    await().atMost(Duration.ofSeconds(1)).until(() -> here.lines.contains(line));
    await().atMost(Duration.ofSeconds(1)).until(() -> there.lines.contains(line));
    await().during(Duration.ofMillis(300)).until(() -> there.lines.size() == 1);
    assertThat(stores.get(1).removedAt("team:1", sub)).isZero();
  }

  @Test
  void aRemovalIsForgottenAfterItsKeep() {
    ControlStore store = openShared(1, Duration.ofMillis(300)).get(0);
    opened.add(store);
    String sub = sub();

    done(store.remove("team:9", sub));

    assertThat(store.removedAt("team:9", sub)).isPositive();
    await().atMost(Duration.ofSeconds(2)).until(() -> store.removedAt("team:9", sub) == 0);
    assertThat(store.removalKeep()).isEqualTo(Duration.ofMillis(300));
  }
}
