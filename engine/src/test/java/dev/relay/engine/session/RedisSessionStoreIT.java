package dev.relay.engine.session;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.DatabasePerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against the shared test Redis, database 11, flushed per test. */
class RedisSessionStoreIT extends SessionStoreContract {

  @RegisterExtension static final DatabasePerTest redis = new DatabasePerTest(11);

  @Override
  protected List<SessionStore> openShared(int count) {
    List<SessionStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      stores.add(new RedisSessionStore(redis.connections()));
    }
    return stores;
  }

  @Test
  void theKeyCarriesTheTtlSoRedisExpiresIt() {
    done(
        new RedisSessionStore(redis.connections())
            .save("pid-1", "a", List.of(), Duration.ofMinutes(2)));
    assertThat(redis.admin().sync().pttl("relay:sio:session:pid-1")).isBetween(1L, 120_000L);
  }
}
