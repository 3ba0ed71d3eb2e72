package dev.relay.engine.webhook;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.DatabasePerTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against the shared test Redis, database 14, flushed per test. */
class RedisWebhookQueueIT extends WebhookQueueContract {

  @RegisterExtension static final DatabasePerTest redis = new DatabasePerTest(14);

  @Override
  protected List<WebhookQueue> openShared(int count) {
    List<WebhookQueue> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      stores.add(new RedisWebhookQueue(redis.connections(), CAPACITY, DEAD_KEPT));
    }
    return stores;
  }

  @Test
  void everyKeySharesOneHashSlotAndTheDeadListIsCapped() {
    RedisWebhookQueue q = new RedisWebhookQueue(redis.connections(), CAPACITY, DEAD_KEPT);
    for (int i = 0; i < DEAD_KEPT + 2; i++) {
      done(q.enqueue("w" + i, "b" + i));
      done(q.deadLetter("w" + i));
    }
    assertThat(redis.admin().sync().lrange("{relay:webhooks}:dead", 0, -1))
        .containsExactly("w4 b4", "w3 b3", "w2 b2");
    assertThat(redis.admin().sync().keys("*")).allMatch(k -> k.startsWith("{relay:webhooks}:"));
  }
}
