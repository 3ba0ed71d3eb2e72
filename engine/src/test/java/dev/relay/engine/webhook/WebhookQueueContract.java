package dev.relay.engine.webhook;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WebhookQueue} must do; the queues from {@link #openShared} share one queue (two
 * gateways). Capacity {@link #CAPACITY}, {@link #DEAD_KEPT} dead letters kept.
 */
public abstract class WebhookQueueContract {

  protected static final int CAPACITY = 50;
  protected static final int DEAD_KEPT = 3;
  private static final Duration LONG = Duration.ofMinutes(5);
  private final List<WebhookQueue> opened = new ArrayList<>();

  protected abstract List<WebhookQueue> openShared(int count);

  private List<WebhookQueue> queues(int count) {
    List<WebhookQueue> queues = openShared(count);
    opened.addAll(queues);
    return queues;
  }

  @AfterEach
  void closeQueues() {
    opened.forEach(WebhookQueue::close);
  }

  @Test
  void aQueuedJobIsClaimedOnceWithItsBodyAttemptAndFirstTime() {
    List<WebhookQueue> q = queues(2);
    Instant before = Instant.now().minusSeconds(5);
    assertThat(done(q.get(0).enqueue("w1", "{\"id\":\"w1\",\"x\":\"é\\n\"}"))).isTrue();
    assertThat(done(q.get(0).enqueue("w1", "again"))).isTrue();

    List<WebhookJob> claimed = done(q.get(1).claim(10, LONG));
    assertThat(claimed).hasSize(1);
    WebhookJob job = claimed.get(0);
    assertThat(job.id()).isEqualTo("w1");
    assertThat(job.body()).isEqualTo("{\"id\":\"w1\",\"x\":\"é\\n\"}");
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.firstQueuedAt()).isAfter(before).isBefore(Instant.now().plusSeconds(5));
    assertThat(done(q.get(0).claim(10, LONG))).isEmpty();
    assertThat(done(q.get(0).size())).isEqualTo(1);
  }

  @Test
  void aJobWhoseLeaseRunsOutIsClaimedAgainByAnotherInstanceAsTheNextAttempt() {
    List<WebhookQueue> q = queues(2);
    done(q.get(0).enqueue("w1", "b"));
    assertThat(done(q.get(0).claim(10, Duration.ofMillis(300)))).hasSize(1);
    // the first holder "dies": it never reports back
    List<WebhookJob> again = new ArrayList<>();
    await().atMost(Duration.ofSeconds(5)).until(() -> again.addAll(done(q.get(1).claim(10, LONG))));
    assertThat(again)
        .extracting(WebhookJob::id, WebhookJob::attempt)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("w1", 2));
  }

  @Test
  void deliveredJobsAreGoneAndLateRetriesOfThemChangeNothing() {
    WebhookQueue q = queues(1).get(0);
    done(q.enqueue("w1", "b"));
    done(q.claim(10, LONG));
    done(q.delivered("w1"));
    done(q.retry("w1", Duration.ZERO));
    done(q.deadLetter("w1"));
    assertThat(done(q.claim(10, LONG))).isEmpty();
    assertThat(done(q.size())).isZero();
    assertThat(done(q.deadLettered())).isZero();
  }

  @Test
  void aRetriedJobIsDueAfterItsDelayNotBefore() {
    WebhookQueue q = queues(1).get(0);
    done(q.enqueue("w1", "b"));
    done(q.claim(10, LONG));
    done(q.retry("w1", Duration.ofMillis(400)));
    assertThat(done(q.claim(10, LONG))).isEmpty();
    List<WebhookJob> again = new ArrayList<>();
    await().atMost(Duration.ofSeconds(5)).until(() -> again.addAll(done(q.claim(10, LONG))));
    assertThat(again.get(0).attempt()).isEqualTo(2);
  }

  @Test
  void claimsTakeAtMostMaxOldestFirstAndTwoInstancesNeverShareAJob() {
    List<WebhookQueue> q = queues(2);
    for (int i = 0; i < 20; i++) {
      done(q.get(0).enqueue("w" + i, "b" + i));
    }
    assertThat(done(q.get(0).claim(3, LONG))).extracting(WebhookJob::id).hasSize(3);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Boolean>> claims =
        IntStream.range(0, 8)
            .mapToObj(
                i ->
                    q.get(i % 2)
                        .claim(5, LONG)
                        .toCompletableFuture()
                        .thenApply(jobs -> jobs.stream().allMatch(j -> seen.add(j.id()))))
            .toList();
    assertThat(claims).allMatch(c -> done(c));
    assertThat(seen).hasSize(17);
  }

  @Test
  void aFullQueueRefusesAndStoresNothing() {
    WebhookQueue q = queues(1).get(0);
    assertThat(q.capacity()).isEqualTo(CAPACITY);
    for (int i = 0; i < CAPACITY; i++) {
      assertThat(done(q.enqueue("w" + i, "b"))).isTrue();
    }
    assertThat(done(q.enqueue("over", "b"))).isFalse();
    assertThat(done(q.size())).isEqualTo(CAPACITY);
    done(q.delivered("w0"));
    assertThat(done(q.enqueue("over", "b"))).isTrue();
  }

  @Test
  void deadLettersAreRemovedAndCountedAcrossInstances() {
    List<WebhookQueue> q = queues(2);
    for (int i = 0; i < DEAD_KEPT + 2; i++) {
      done(q.get(0).enqueue("w" + i, "b"));
      done(q.get(i % 2).deadLetter("w" + i));
    }
    done(q.get(1).deadLetter("w0"));
    assertThat(done(q.get(0).deadLettered())).isEqualTo(DEAD_KEPT + 2);
    assertThat(done(q.get(1).deadLettered())).isEqualTo(DEAD_KEPT + 2);
    assertThat(done(q.get(0).size())).isZero();
  }

  @Test
  void hostileIdsAndLargeBodiesRoundTrip() {
    WebhookQueue q = queues(1).get(0);
    String id = "a:b c\n{relay:webhooks}:jobs'\"--";
    String body = "x".repeat(256 * 1024);
    done(q.enqueue(id, body));
    List<WebhookJob> jobs = done(q.claim(10, LONG));
    assertThat(jobs).extracting(WebhookJob::id).containsExactly(id);
    assertThat(jobs.get(0).body()).isEqualTo(body);
  }
}
