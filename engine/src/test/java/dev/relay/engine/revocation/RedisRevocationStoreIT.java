package dev.relay.engine.revocation;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.DatabasePerTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract against the shared test Redis, database 12. The Pub/Sub channel is not per database,
 * so other tests' revocations may arrive too; every test uses fresh jtis.
 */
class RedisRevocationStoreIT extends RevocationStoreContract {

  @RegisterExtension static final DatabasePerTest redis = new DatabasePerTest(12);

  @Override
  protected List<RevocationStore> openShared(int count, Duration grace) {
    List<RevocationStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RevocationStore store =
          new RedisRevocationStore(redis.connections(), grace, Duration.ofMinutes(10));
      done(store.start());
      stores.add(store);
    }
    return stores;
  }

  @Test
  void anInstanceStartedLaterLoadsEarlierRevocations() {
    String jti = jti();
    done(stores(1).get(0).revoke(jti, Instant.now().plusSeconds(300)));

    RevocationStore later = stores(1).get(0);

    assertThat(later.isRevoked(jti)).isTrue();
  }

  @Test
  void theSetKeyExpiresWithItsLastEntry() {
    done(stores(1).get(0).revoke(jti(), Instant.now().plusSeconds(100)));

    long ttl = redis.admin().sync().ttl(RedisRevocationStore.KEY);

    assertThat(ttl).isBetween(100L, 131L);
  }
}
