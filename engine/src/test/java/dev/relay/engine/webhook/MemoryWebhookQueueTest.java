package dev.relay.engine.webhook;

import java.time.Clock;
import java.util.Collections;
import java.util.List;

class MemoryWebhookQueueTest extends WebhookQueueContract {

  @Override
  protected List<WebhookQueue> openShared(int count) {
    return Collections.nCopies(
        count, new MemoryWebhookQueue(CAPACITY, DEAD_KEPT, Clock.systemUTC()));
  }
}
