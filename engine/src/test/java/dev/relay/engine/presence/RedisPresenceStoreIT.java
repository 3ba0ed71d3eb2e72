package dev.relay.engine.presence;

import dev.relay.engine.DatabasePerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract against the shared test Redis (database 10, flushed per test). Each store has its
 * own client, as two gateway processes would.
 */
class RedisPresenceStoreIT extends PresenceStoreContract {

  @RegisterExtension static final DatabasePerTest redis = new DatabasePerTest(10);

  @Override
  protected List<PresenceStore> openShared(int count, Duration instanceTtl) {
    List<PresenceStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      stores.add(new RedisPresenceStore(redis.connections(), instanceTtl));
    }
    return stores;
  }
}
