package dev.relay.engine.control;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.DatabasePerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract against the shared test Redis, database 9. The Pub/Sub channel is not per database,
 * so other tests' signals may arrive too; every test uses fresh subs.
 */
class RedisControlStoreIT extends ControlStoreContract {

  @RegisterExtension static final DatabasePerTest redis = new DatabasePerTest(9);

  @Override
  protected List<ControlStore> openShared(int count, Duration removalKeep) {
    List<ControlStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ControlStore store =
          new RedisControlStore(redis.connections(), removalKeep, Duration.ofMinutes(10));
      done(store.start());
      stores.add(store);
    }
    return stores;
  }

  @Test
  void anInstanceStartedLaterLoadsEarlierRemovals() {
    String sub = sub();
    long at = done(stores(1).get(0).remove("task:1", sub));

    ControlStore later = stores(1).get(0);

    assertThat(later.removedAt("task:1", sub)).isEqualTo(at);
  }

  @Test
  void theRecordsExpireWithTheirKeepAndMalformedChannelMessagesAreIgnored() {
    ControlStore store = stores(1).get(0);
    String sub = sub();
    done(store.disconnect(sub, 4003));
    done(store.remove("task:2", sub));

    assertThat(redis.admin().sync().pttl(RedisControlStore.REMOVALS))
        .isBetween(KEEP.toMillis() - 5000, KEEP.toMillis());
    assertThat(redis.admin().sync().pttl(RedisControlStore.DISCONNECTS))
        .isBetween(
            ControlStore.DISCONNECT_KEEP.toMillis() - 5000,
            ControlStore.DISCONNECT_KEEP.toMillis());

    for (String junk :
        List.of("", "r", "r x task:3 " + sub, "d 1 12 " + sub, "x 1 task:3 a", "r 1".repeat(400))) {
      redis.admin().sync().publish(RedisControlStore.CHANNEL, junk);
    }
    assertThat(store.removedAt("task:3", sub)).isZero();
  }
}
