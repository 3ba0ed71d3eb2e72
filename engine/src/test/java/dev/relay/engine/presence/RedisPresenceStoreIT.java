package dev.relay.engine.presence;

import dev.relay.engine.RedisTestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract against the shared test Redis (database 10, flushed per test). Each store has its
 * own client, as two gateway processes would.
 */
class RedisPresenceStoreIT extends PresenceStoreContract {

  private static RedisTestDatabase redis;

  @BeforeAll
  static void connect() {
    redis = new RedisTestDatabase(10);
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @BeforeEach
  void emptyDatabase() {
    redis.flush();
  }

  @AfterEach
  void closeConnections() {
    redis.closeConnections();
  }

  @Override
  protected List<PresenceStore> openShared(int count, Duration instanceTtl) {
    List<PresenceStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      stores.add(new RedisPresenceStore(redis.connections(), instanceTtl));
    }
    return stores;
  }
}
