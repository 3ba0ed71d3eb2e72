package dev.relay.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.webhook.MemoryWebhookQueue;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Queuing rules without a receiver (the dispatcher is not started): selection and the cap. */
class WebhookDispatcherTest {

  private final MemoryWebhookQueue queue = new MemoryWebhookQueue(2, 10, Clock.systemUTC());

  private WebhookDispatcher dispatcher(String events) {
    return new WebhookDispatcher(
        queue,
        new WebhookSettings(
            URI.create("http://127.0.0.1:9/hook"),
            new byte[32],
            WebhookSelection.parse(events),
            Duration.ofHours(24),
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            queue.capacity(),
            4),
        Clock.systemUTC());
  }

  private static String envelope(String id, String type) {
    return "{\"v\":1,\"id\":\""
        + id
        + "\",\"room\":\"r\",\"type\":\""
        + type
        + "\",\"payload\":{}}";
  }

  @Test
  void onlySelectedWebhooksAreQueuedAndAFullQueueDropsAndCounts() {
    try (WebhookDispatcher d = dispatcher("client,room.occupied")) {
      d.published(envelope("e1", "message.created"));
      d.presence("presence.joined", envelope("e2", "presence.joined"));
      d.room("room.vacated", "r");
      assertThat(queue.size().toCompletableFuture().join()).isEqualTo(1);
      d.room("room.occupied", "r");
      d.published(envelope("e3", "message.created"));
      assertThat(queue.size().toCompletableFuture().join()).isEqualTo(2);
      assertThat(d.dropped()).isEqualTo(1);
      d.published("not json");
      assertThat(d.dropped()).isEqualTo(1);
    }
  }

  @Test
  void roomWebhooksAreEnvelopesWithAnIdOfTheirOwn() {
    try (WebhookDispatcher d = dispatcher("room.*")) {
      d.room("room.occupied", "session:abc");
      var job = queue.claim(1, Duration.ofMinutes(1)).toCompletableFuture().join().get(0);
      assertThat(job.id()).startsWith("wh-");
      assertThat(job.body())
          .startsWith("{\"v\":1,\"id\":\"" + job.id() + "\",\"room\":\"session:abc\"")
          .contains("\"type\":\"room.occupied\",\"payload\":{}")
          .contains("\"publishedAt\":");
    }
  }
}
