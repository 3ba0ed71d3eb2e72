package dev.relay.engine.webhook;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.RedisTestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract against the shared test Redis, database 14, flushed per test. */
class RedisWebhookQueueIT extends WebhookQueueContract {

  private static RedisTestDatabase redis;

  @BeforeAll
  static void connect() {
    redis = new RedisTestDatabase(14);
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
