package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static dev.relay.publish.it.HttpProbe.KEY_A;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.relay.service.intake.ClientFaults;
import dev.relay.testkit.TestRedis;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.netty.util.internal.PlatformDependent;
import jakarta.inject.Inject;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * SPEC §10 against publish-api, in this JVM so its memory is measured directly: 60 concurrent
 * unauthenticated 7 MB uploads and 60 authenticated over-limit ones are refused from their headers
 * while they keep pushing bytes; the heap after GC and Netty's direct memory stay within a small
 * bound and a real publish meanwhile is answered within 1 s. Aborted uploads log one INFO line per
 * connection and no error.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileUploadsIT implements TestPropertyProvider {

  private static final int ATTACKERS = 60;
  private static final int UPLOAD = 7_000_000;
  private static final long HEAP_BOUND = 48L * 1024 * 1024;
  private static final long DIRECT_BOUND = 64L * 1024 * 1024;

  @Inject EmbeddedServer server;

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger faultLogger;
  private Level previousLevel;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("redis.url", TestRedis.url(), "relay.api.key", KEYS);
  }

  @BeforeAll
  void captureLogs() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    faultLogger = (Logger) LoggerFactory.getLogger(ClientFaults.class);
    previousLevel = faultLogger.getLevel();
    faultLogger.setLevel(Level.INFO);
  }

  @AfterAll
  void releaseLogs() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    faultLogger.setLevel(previousLevel);
  }

  @Test
  void hostileUploadsAreRefusedWithinBoundedMemoryWhileARealPublishGoesThrough() throws Exception {
    HttpProbe probe = new HttpProbe(server.getURI());
    String realEvent = "{\"sessionId\":\"under-attack\",\"event\":\"session.ended\"}";
    assertThat(probe.publish("/v1/events", realEvent).status()).isEqualTo(202); // warm-up
    long heapBefore = heapAfterGc();
    long directBefore = direct();
    AtomicLong directPeak = new AtomicLong(directBefore);
    AtomicBoolean sampling = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(2 * ATTACKERS + 2);
    try {
      pool.execute(
          () -> {
            while (sampling.get()) {
              directPeak.accumulateAndGet(direct(), Math::max);
              java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
          });
      List<CompletableFuture<Integer>> attacks = new ArrayList<>();
      for (int i = 0; i < ATTACKERS; i++) {
        attacks.add(attack(pool, "/v1/events:batch", UPLOAD, "Content-Type: application/json"));
        attacks.add(
            attack(
                pool,
                "/v1/events",
                UPLOAD,
                "Content-Type: application/json",
                "Authorization: Bearer " + KEY_A));
      }

      long start = System.nanoTime();
      HttpProbe.Answer real = probe.publish("/v1/events", realEvent);
      long realMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<Integer> attack : attacks) {
        statuses.add(attack.get(60, TimeUnit.SECONDS));
      }
      sampling.set(false);

      assertThat(real.status()).as(real.toString()).isEqualTo(202);
      assertThat(realMillis).as("a real publish during the attack").isLessThan(1000);
      assertThat(statuses.subList(0, statuses.size()))
          .as("answers to the attackers")
          .containsOnly(401, 413)
          .contains(401, 413);
      assertThat(heapAfterGc() - heapBefore).as("heap growth after GC").isLessThan(HEAP_BOUND);
      assertThat(directPeak.get() - directBefore).as("direct memory peak").isLessThan(DIRECT_BOUND);
    } finally {
      sampling.set(false);
      pool.shutdownNow();
    }
  }

  @Test
  void abortedUploadsLogOneInfoLinePerConnectionAndNoError() {
    synchronized (logs) {
      logs.list.clear();
    }
    int connections = 10;
    for (int i = 0; i < connections; i++) {
      try (RawHttp http = new RawHttp(server.getURI())) {
        http.head(
            "POST /v1/events HTTP/1.1",
            "Content-Type: application/json",
            "Authorization: Bearer " + KEY_A,
            "Content-Length: 50000");
        http.send("{\"sessionId\":\"aborted\",\"payload\":{\"p\":\"" + "x".repeat(10_000));
      }
    }

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> faultLines("aborted_upload") == connections);
    assertThat(logged())
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
        .as("errors logged")
        .isEmpty();
    assertThat(logged())
        .filteredOn(e -> e.getLoggerName().equals(ClientFaults.class.getName()))
        .allSatisfy(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.INFO);
              assertThat(e.getThrowableProxy()).isNull();
              assertThat(e.getFormattedMessage().length()).isLessThan(1000);
            });
  }

  /** What was logged so far; the server's threads append under the appender's lock. */
  private List<ILoggingEvent> logged() {
    synchronized (logs) {
      return List.copyOf(logs.list);
    }
  }

  private long faultLines(String type) {
    return logged().stream()
        .filter(e -> e.getLoggerName().equals(ClientFaults.class.getName()))
        .filter(e -> e.getFormattedMessage().contains(type))
        .count();
  }

  /** Sends the head, then pushes the body until the server answers; completes with its status. */
  private CompletableFuture<Integer> attack(
      ExecutorService pool, String path, int length, String... headers) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (RawHttp http = new RawHttp(server.getURI())) {
            String[] all = new String[headers.length + 1];
            System.arraycopy(headers, 0, all, 0, headers.length);
            all[headers.length] = "Content-Length: " + length;
            http.head("POST " + path + " HTTP/1.1", all);
            byte[] chunk = new byte[64 * 1024];
            int sent = 0;
            while (sent < length && http.trySend(chunk)) {
              sent += chunk.length;
              if (sent >= 512 * 1024) {
                break; // enough to show it is refused while still sending
              }
            }
            return http.read().status();
          }
        },
        pool);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Direct memory in use: Netty's own counter plus the JDK's direct buffer pool. */
  private static long direct() {
    long jdk = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        jdk = pool.getMemoryUsed();
      }
    }
    return Math.max(0, PlatformDependent.usedDirectMemory()) + jdk;
  }
}
