package dev.relay.engine.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link WebhookQueue} in this process's memory, for the memory engine (one gateway): the same
 * rules, but nothing survives the process. Guarded by one lock; a claim scans the queue, which is
 * bounded by {@link #capacity()}.
 */
public final class MemoryWebhookQueue implements WebhookQueue {

  private static final class Job {
    final String body;
    final Instant first;
    int attempt;
    Instant due;

    Job(String body, Instant first) {
      this.body = body;
      this.first = first;
      this.due = first;
    }
  }

  private final int capacity;
  private final int deadKept;
  private final Clock clock;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final Deque<String> dead = new ArrayDeque<>();
  private long deadCount;

  public MemoryWebhookQueue(int capacity, int deadKept, Clock clock) {
    if (capacity < 1 || deadKept < 0) {
      throw new IllegalArgumentException("capacity must be positive and deadKept not negative");
    }
    this.capacity = capacity;
    this.deadKept = deadKept;
    this.clock = clock;
  }

  @Override
  public synchronized CompletionStage<Boolean> enqueue(String id, String body) {
    if (jobs.containsKey(id)) {
      return CompletableFuture.completedFuture(true);
    }
    if (jobs.size() >= capacity) {
      return CompletableFuture.completedFuture(false);
    }
    jobs.put(id, new Job(body, clock.instant()));
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public synchronized CompletionStage<List<WebhookJob>> claim(int max, Duration lease) {
    Instant now = clock.instant();
    List<Map.Entry<String, Job>> due =
        jobs.entrySet().stream()
            .filter(e -> !e.getValue().due.isAfter(now))
            .sorted(Comparator.comparing(e -> e.getValue().due))
            .limit(max)
            .toList();
    List<WebhookJob> claimed =
        due.stream()
            .map(
                e -> {
                  Job job = e.getValue();
                  job.attempt++;
                  job.due = now.plus(lease);
                  return new WebhookJob(e.getKey(), job.body, job.attempt, job.first);
                })
            .toList();
    return CompletableFuture.completedFuture(claimed);
  }

  @Override
  public synchronized CompletionStage<Void> delivered(String id) {
    jobs.remove(id);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Void> retry(String id, Duration delay) {
    Job job = jobs.get(id);
    if (job != null) {
      job.due = clock.instant().plus(delay);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Void> deadLetter(String id) {
    if (jobs.remove(id) != null) {
      deadCount++;
      dead.addFirst(id);
      while (dead.size() > deadKept) {
        dead.removeLast();
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Long> deadLettered() {
    return CompletableFuture.completedFuture(deadCount);
  }

  @Override
  public synchronized CompletionStage<Long> size() {
    return CompletableFuture.completedFuture((long) jobs.size());
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public void close() {}
}
