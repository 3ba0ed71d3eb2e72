package dev.relay.bench;

import dev.relay.bench.client.BenchTokens;
import dev.relay.bench.client.ClientFleet;
import dev.relay.bench.client.Transports;
import dev.relay.bench.publish.HttpPublisher;
import dev.relay.bench.report.BenchResult;
import dev.relay.bench.report.ProcessProbe;
import dev.relay.bench.stats.DeliveryLedger;
import dev.relay.bench.stats.Samples;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one bench: connect, measure idle memory, publish at the rate (or hold idle), drain, report.
 * Every phase is bounded in time: connect by {@code 60 s + 10 ms per connection}, publishing by its
 * duration plus 30 s, the drain by {@code drainSeconds}. Pacing uses timers, never sleeps.
 */
public final class BenchRun {

  private final BenchConfig config;
  private final PrintStream progress;

  public BenchRun(BenchConfig config, PrintStream progress) {
    this.config = config.validate();
    this.progress = progress;
  }

  public BenchResult execute() throws InterruptedException {
    String runTag = "b" + UUID.randomUUID().toString().substring(0, 8);
    DeliveryLedger ledger =
        new DeliveryLedger(
            config.rooms(),
            (int) Math.min(Integer.MAX_VALUE - 8, config.totalEvents() + 1),
            config.warmupEvents());
    ProcessProbe gateway = config.gatewayPid() > 0 ? new ProcessProbe(config.gatewayPid()) : null;
    ProcessProbe publish = config.publishPid() > 0 ? new ProcessProbe(config.publishPid()) : null;
    ProcessProbe self = ProcessProbe.self();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-timer");
              t.setDaemon(true);
              return t;
            });
    EventLoopGroup clients = Transports.group(config.threads(), "bench-ws");
    EventLoopGroup publishers = Transports.group(1, "bench-http");
    long rss0 = gateway == null ? -1 : gateway.rssKib();
    long heap0 = gateway != null && config.jvmHeap() ? gateway.liveHeapKibAfterGc() : -1;
    ClientFleet fleet =
        new ClientFleet(
            clients,
            config.protocol(),
            config.gatewayUrl(),
            new BenchTokens(config.jwtSecret(), Duration.ofSeconds(config.tokenTtlSeconds())),
            ledger,
            runTag,
            config.connectConcurrency());
    HttpPublisher publisher =
        new HttpPublisher(
            publishers,
            config.publishUrl(),
            config.apiKey(),
            ledger,
            runTag,
            config.payloadBytes(),
            config.publishConnections(),
            config.warmupEvents());
    ScheduledFuture<?> ticker =
        timer.scheduleAtFixedRate(() -> progress(fleet, publisher), 1, 1, TimeUnit.SECONDS);
    try {
      long connectStart = System.nanoTime();
      await(fleet.connectAll(config.connections()), 60 + config.connections() / 100);
      double connectWallMs = (System.nanoTime() - connectStart) / 1e6;
      long rss1 = -1;
      long heap1 = -1;
      if (config.rate() > 0) {
        rss1 = gateway == null ? -1 : gateway.rssKib();
        heap1 = heap0 >= 0 ? gateway.liveHeapKibAfterGc() : -1;
      }
      CpuWindow cpu = new CpuWindow(gateway, publish, self);
      ScheduledFuture<?> measureStart =
          timer.schedule(cpu::start, config.warmupSeconds(), TimeUnit.SECONDS);
      long publishStart = System.nanoTime();
      if (config.rate() > 0) {
        await(
            publisher.run(config.rate(), config.totalEvents()),
            config.warmupSeconds() + config.durationSeconds() + 30);
      } else {
        CompletableFuture<Void> hold = new CompletableFuture<>();
        timer.schedule(() -> hold.complete(null), config.durationSeconds(), TimeUnit.SECONDS);
        await(hold, config.durationSeconds() + 5);
      }
      double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
      measureStart.cancel(false);
      cpu.stop();
      drain(timer, fleet, ledger);
      if (config.rate() == 0) {
        rss1 = gateway == null ? -1 : gateway.rssKib();
        heap1 = heap0 >= 0 ? gateway.liveHeapKibAfterGc() : -1;
      }
      DeliveryLedger.Totals totals = ledger.totals(fleet.receivers());
      Samples.Sorted fanout = ledger.latencies();
      Samples.Sorted publishLatency = publisher.latencies();
      Samples.Sorted connect = fleet.connectTimes();
      int connected = fleet.ready();
      Double rssPerConn = perConnection(rss0, rss1, connected);
      Double heapPerConn = perConnection(heap0, heap1, connected);
      Double memPerConn =
          heapPerConn == null ? rssPerConn : rssPerConn == null ? null : rssPerConn + heapPerConn;
      if (!fleet.failures().isEmpty()) {
        progress.println("connect failures: " + fleet.failures());
      }
      if (!publisher.errors().isEmpty()) {
        progress.println("publish errors: " + publisher.errors());
      }
      return new BenchResult(
          config.label(),
          config.protocol().name().toLowerCase(Locale.ROOT),
          config.connections(),
          connected,
          fleet.failed(),
          fleet.dropped(),
          config.rooms(),
          config.rate(),
          config.durationSeconds(),
          config.payloadBytes(),
          Math.round(connectWallMs * 10) / 10.0,
          BenchResult.finite(connect.percentileMillis(50)),
          BenchResult.finite(connect.percentileMillis(99)),
          publisher.sent(),
          publisher.accepted(),
          publisher.failed(),
          publisher.maxBacklog(),
          Math.round(publisher.sent() / Math.max(1e-9, publishSeconds) * 10) / 10.0,
          totals.expected(),
          totals.delivered(),
          totals.duplicates(),
          totals.missing(),
          totals.foreign(),
          fanout.count(),
          BenchResult.finite(fanout.percentileMillis(50)),
          BenchResult.finite(fanout.percentileMillis(90)),
          BenchResult.finite(fanout.percentileMillis(99)),
          BenchResult.finite(fanout.maxMillis()),
          BenchResult.finite(publishLatency.percentileMillis(50)),
          BenchResult.finite(publishLatency.percentileMillis(99)),
          gateway == null ? -1 : gateway.rssKib(),
          rss0,
          rssPerConn,
          heapPerConn,
          memPerConn == null ? null : BenchResult.finite(memPerConn),
          cpu.percent(gateway),
          cpu.percent(publish),
          cpu.percent(self));
    } finally {
      ticker.cancel(false);
      progress(fleet, publisher);
      progress.println();
      fleet.close();
      clients.shutdownGracefully(0, 2, TimeUnit.SECONDS);
      publishers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
      timer.shutdownNow();
    }
  }

  /** Waits until every accepted event reached every connection, at most {@code drainSeconds}. */
  private void drain(ScheduledExecutorService timer, ClientFleet fleet, DeliveryLedger ledger)
      throws InterruptedException {
    List<DeliveryLedger.Receiver> receivers = fleet.receivers();
    CompletableFuture<Void> drained = new CompletableFuture<>();
    ScheduledFuture<?> check =
        timer.scheduleAtFixedRate(
            () -> {
              if (ledger.totals(receivers).complete()) {
                drained.complete(null);
              }
            },
            0,
            50,
            TimeUnit.MILLISECONDS);
    try {
      drained.get(config.drainSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      progress.println("drain: not every event arrived within " + config.drainSeconds() + " s");
    } finally {
      check.cancel(false);
    }
  }

  private static Double perConnection(long before, long after, int connections) {
    if (before < 0 || after < 0 || connections == 0) {
      return null;
    }
    return BenchResult.finite((after - before) / (double) connections);
  }

  private static void await(CompletableFuture<Void> future, long seconds)
      throws InterruptedException {
    try {
      future.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("phase did not finish within " + seconds + " s", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private void progress(ClientFleet fleet, HttpPublisher publisher) {
    if (config.progress()) {
      progress.printf(
          Locale.ROOT,
          "\rbench %s: connected %d/%d (failed %d) | published %d/%d, accepted %d   ",
          config.label(),
          fleet.ready(),
          config.connections(),
          fleet.failed(),
          publisher.sent(),
          config.totalEvents(),
          publisher.accepted());
      progress.flush();
    }
  }

  /** CPU time of each probe between {@link #start} (end of warm-up) and {@link #stop}. */
  private static final class CpuWindow {
    private final ProcessProbe[] probes;
    private final double[] startCpu;
    private final double[] stopCpu;
    private volatile long startNanos;
    private long stopNanos;

    CpuWindow(ProcessProbe... probes) {
      this.probes = probes;
      this.startCpu = new double[probes.length];
      this.stopCpu = new double[probes.length];
      start();
    }

    synchronized void start() {
      for (int i = 0; i < probes.length; i++) {
        startCpu[i] = probes[i] == null ? -1 : probes[i].cpuSeconds();
      }
      startNanos = System.nanoTime();
    }

    synchronized void stop() {
      for (int i = 0; i < probes.length; i++) {
        stopCpu[i] = probes[i] == null ? -1 : probes[i].cpuSeconds();
      }
      stopNanos = System.nanoTime();
    }

    synchronized Double percent(ProcessProbe probe) {
      for (int i = 0; i < probes.length; i++) {
        if (probes[i] != null && probes[i] == probe && startCpu[i] >= 0 && stopCpu[i] >= 0) {
          double wall = (stopNanos - startNanos) / 1e9;
          return wall <= 0 ? null : BenchResult.finite(100 * (stopCpu[i] - startCpu[i]) / wall);
        }
      }
      return null;
    }
  }
}
