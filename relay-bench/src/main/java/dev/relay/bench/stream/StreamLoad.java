package dev.relay.bench.stream;

import dev.relay.bench.client.BenchTokens;
import dev.relay.bench.client.Protocol;
import dev.relay.bench.client.Transports;
import dev.relay.bench.client.WebSocketDialer;
import dev.relay.bench.report.ProcessProbe;
import dev.relay.bench.stats.Samples;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The streaming load of {@code ./relay bench --streams S} (SPEC §12): S concurrent {@code POST
 * /v1/events:stream} requests, each posting {@code rate} deltas/s for {@code duration} s to a room
 * of its own with M subscribers on the JSON protocol; a fraction of subscribers drops its
 * connection half-way and comes back with {@code since}. Reports per-delta fan-out latency (line
 * written → subscriber received, on connections that never reconnected) and whether every
 * subscriber ends with exactly the full text. The warm-up is a pass of its own, the same load for
 * {@code warmup} seconds on other rooms, not recorded: its messages complete and its subscribers
 * reconnect, so every path of the measured pass (the completions at its end included) has run
 * before. Bounded in time per pass: connecting 60 s, streaming duration + 60 s, settling 15 s.
 */
public final class StreamLoad {

  /** What to run. */
  public record Config(
      URI publishUrl,
      URI gatewayUrl,
      String apiKey,
      String jwtSecret,
      int streams,
      int subscribersPerStream,
      double deltasPerSecond,
      int durationSeconds,
      int warmupSeconds,
      double reconnectFraction,
      int threads,
      int connectConcurrency,
      long serverPid,
      long gatewayPid) {

    /** The unrecorded warm-up pass: this load for {@code warmupSeconds}, without CPU probes. */
    Config warmUpPass() {
      return new Config(
          publishUrl,
          gatewayUrl,
          apiKey,
          jwtSecret,
          streams,
          subscribersPerStream,
          deltasPerSecond,
          warmupSeconds,
          0,
          reconnectFraction,
          threads,
          connectConcurrency,
          0,
          0);
    }
  }

  private final Config config;
  private final PrintStream progress;
  private final AtomicInteger drops = new AtomicInteger();
  private final ConcurrentHashMap<Integer, Boolean> planned = new ConcurrentHashMap<>();
  private AtomicReferenceArray<Channel> current;
  private DeltaClock clock;
  private volatile boolean finished;

  public StreamLoad(Config config, PrintStream progress) {
    this.config = config;
    this.progress = progress;
  }

  /** Runs the load; the result as one JSON object, and whether everything was exact. */
  public record Outcome(String json, String table, boolean clean) {}

  public Outcome run() throws Exception {
    if (config.warmupSeconds() == 0) {
      return measure("measured");
    }
    Outcome warm = new StreamLoad(config.warmUpPass(), progress).measure("warm-up");
    progress.printf(Locale.ROOT, "warm-up pass (not recorded):%n%s", warm.table());
    Outcome measured = measure("measured");
    return warm.clean() ? measured : new Outcome(measured.json(), measured.table(), false);
  }

  private Outcome measure(String pass) throws Exception {
    String tag = "st" + UUID.randomUUID().toString().substring(0, 6);
    int deltas = (int) Math.round(config.deltasPerSecond() * config.durationSeconds());
    clock = new DeltaClock(config.streams() * deltas + 1);
    EventLoopGroup group = Transports.group(config.threads(), "bench-stream");
    BenchTokens tokens = new BenchTokens(config.jwtSecret(), Duration.ofSeconds(300));
    List<TextSubscriber.State> subscribers = new ArrayList<>();
    List<DeltaStream> streams = new ArrayList<>();
    ProcessProbe server = config.serverPid() > 0 ? new ProcessProbe(config.serverPid()) : null;
    ProcessProbe gateway =
        config.gatewayPid() > 0 && config.gatewayPid() != config.serverPid()
            ? new ProcessProbe(config.gatewayPid())
            : null;
    try {
      for (int s = 0; s < config.streams(); s++) {
        streams.add(new DeltaStream(tag + "-" + s, 1 + s * deltas, deltas, clock));
        for (int m = 0; m < config.subscribersPerStream(); m++) {
          subscribers.add(new TextSubscriber.State("session:" + tag + "-" + s));
        }
      }
      current = new AtomicReferenceArray<>(subscribers.size());
      connectAll(group, tokens, subscribers).get(60, TimeUnit.SECONDS);
      progress.printf(
          Locale.ROOT,
          "stream bench %s (%s pass): %d subscribers ready%n",
          tag,
          pass,
          subscribers.size());
      double cpu0 = server == null ? -1 : server.cpuSeconds();
      double gatewayCpu0 = gateway == null ? -1 : gateway.cpuSeconds();
      long start = System.nanoTime();
      for (int s = 0; s < streams.size(); s++) { // spread over 1 s: the per-IP limit is per second
        DeltaStream stream = streams.get(s);
        group.schedule(
            () ->
                stream.start(group, config.publishUrl(), config.apiKey(), config.deltasPerSecond()),
            s * 1000L / streams.size(),
            TimeUnit.MILLISECONDS);
      }
      scheduleReconnects(group, subscribers);
      int accepted = 0;
      List<String> failures = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.durationSeconds() + 60L);
      for (DeltaStream stream : streams) {
        try {
          String summary =
              stream.answer.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          accepted += (int) TextSubscriber.number(summary, "\"accepted\":");
          if (!summary.contains("\"rejected\":[]")) {
            failures.add(summary.length() > 200 ? summary.substring(0, 200) : summary);
          }
        } catch (Exception e) {
          failures.add(String.valueOf(e.getCause() == null ? e : e.getCause()));
        }
      }
      double wall = (System.nanoTime() - start) / 1e9;
      double cpu = server == null ? -1 : (server.cpuSeconds() - cpu0) / wall * 100;
      double gatewayCpu = gateway == null ? -1 : (gateway.cpuSeconds() - gatewayCpu0) / wall * 100;
      long settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < settleUntil && !allCompleted(subscribers)) {
        Thread.sleep(50); // polling the subscribers' state; nothing to wait on
      }
      return report(tag, streams, subscribers, accepted, failures, cpu, gatewayCpu);
    } finally {
      finished = true;
      for (int i = 0; current != null && i < current.length(); i++) {
        planned.put(i, true);
        Channel channel = current.get(i);
        if (channel != null) {
          channel.close();
        }
      }
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
  }

  private CompletableFuture<Void> connectAll(
      EventLoopGroup group, BenchTokens tokens, List<TextSubscriber.State> subscribers) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger settled = new AtomicInteger();
    Runnable[] launch = new Runnable[1];
    launch[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i >= subscribers.size()) {
            return;
          }
          dial(
              group,
              tokens,
              subscribers,
              i,
              () -> {
                if (settled.incrementAndGet() == subscribers.size()) {
                  done.complete(null);
                } else {
                  launch[0].run();
                }
              });
        };
    for (int k = 0; k < Math.min(subscribers.size(), config.connectConcurrency()); k++) {
      launch[0].run();
    }
    return done;
  }

  private void dial(
      EventLoopGroup group,
      BenchTokens tokens,
      List<TextSubscriber.State> subscribers,
      int index,
      Runnable onReady) {
    TextSubscriber.State state = subscribers.get(index);
    String session = state.room.substring("session:".length());
    URI uri =
        Protocol.JSON.uri(config.gatewayUrl(), tokens.connectionToken("sub-" + index, session));
    Runnable onClosed =
        () -> {
          boolean wanted = planned.remove(index) != null;
          if (!wanted) {
            drops.incrementAndGet();
          }
          if (!state.completed && !finished) { // come back and recover the rest, planned or not
            state.reconnected = true;
            group.schedule(
                () -> dial(group, tokens, subscribers, index, () -> {}),
                200,
                TimeUnit.MILLISECONDS);
          }
        };
    TextSubscriber handler = new TextSubscriber(state, clock, onReady, onClosed);
    WebSocketDialer.dial(group, uri, handler)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                current.set(index, ((ChannelFuture) f).channel());
              } else {
                onReady.run();
              }
            });
  }

  private void scheduleReconnects(EventLoopGroup group, List<TextSubscriber.State> subscribers) {
    if (config.reconnectFraction() <= 0) {
      return;
    }
    int every = Math.max(1, (int) Math.round(1 / config.reconnectFraction()));
    group.schedule(
        () -> {
          for (int i = 0; i < current.length(); i += every) {
            Channel channel = current.get(i);
            if (channel != null && !subscribers.get(i).completed) {
              planned.put(i, true);
              channel.close();
            }
          }
        },
        config.durationSeconds() * 500L,
        TimeUnit.MILLISECONDS);
  }

  private static boolean allCompleted(List<TextSubscriber.State> subscribers) {
    for (TextSubscriber.State s : subscribers) {
      if (!s.completed) {
        return false;
      }
    }
    return true;
  }

  private Outcome report(
      String tag,
      List<DeltaStream> streams,
      List<TextSubscriber.State> subscribers,
      int accepted,
      List<String> failures,
      double cpuPercent,
      double gatewayCpuPercent) {
    int exact = 0;
    int reconnected = 0;
    int reconnectedExact = 0;
    int gaps = 0;
    int duplicates = 0;
    int recoveredFalse = 0;
    List<Samples> latencies = new ArrayList<>();
    int perStream = config.subscribersPerStream();
    for (int i = 0; i < subscribers.size(); i++) {
      TextSubscriber.State s = subscribers.get(i);
      String expected = streams.get(i / perStream).expectedText();
      boolean ok = s.completed && s.ahead.isEmpty() && s.endsExact(expected);
      exact += ok ? 1 : 0;
      if (s.reconnected) {
        reconnected++;
        reconnectedExact += ok ? 1 : 0;
      }
      gaps += s.ahead.isEmpty() ? 0 : 1;
      duplicates += s.duplicates;
      recoveredFalse += s.recoveredFalse;
      latencies.add(s.latency);
    }
    Samples.Sorted latency = Samples.merge(latencies);
    String json =
        String.format(
            Locale.ROOT,
            "{\"label\":\"stream\",\"run\":\"%s\",\"streams\":%d,\"deltasPerSecond\":%.1f,"
                + "\"subscribersPerStream\":%d,\"durationSeconds\":%d,\"linesAccepted\":%d,"
                + "\"streamFailures\":%d,\"subscribers\":%d,\"exactText\":%d,\"reconnected\":%d,"
                + "\"reconnectedExact\":%d,\"gaps\":%d,\"duplicates\":%d,\"recoveredFalse\":%d,"
                + "\"unplannedDrops\":%d,\"deltaSamples\":%d,\"p50Ms\":%.2f,\"p90Ms\":%.2f,"
                + "\"p99Ms\":%.2f,\"p999Ms\":%.2f,\"maxMs\":%.2f,\"serverCpuPercent\":%.1f%s}",
            tag,
            config.streams(),
            config.deltasPerSecond(),
            perStream,
            config.durationSeconds(),
            accepted,
            failures.size(),
            subscribers.size(),
            exact,
            reconnected,
            reconnectedExact,
            gaps,
            duplicates,
            recoveredFalse,
            drops.get(),
            latency.count(),
            latency.percentileMillis(50),
            latency.percentileMillis(90),
            latency.percentileMillis(99),
            latency.percentileMillis(99.9),
            latency.maxMillis(),
            cpuPercent,
            gatewayCpuPercent < 0
                ? ""
                : String.format(Locale.ROOT, ",\"gatewayCpuPercent\":%.1f", gatewayCpuPercent));
    String cpuLine =
        cpuPercent < 0
            ? ""
            : String.format(
                Locale.ROOT,
                "server CPU while streaming, %% of one core: %.1f%s%n",
                cpuPercent,
                gatewayCpuPercent < 0
                    ? ""
                    : String.format(
                        Locale.ROOT, " (publish-api), %.1f (gateway)", gatewayCpuPercent));
    String table =
        String.format(
            Locale.ROOT,
            "streams %d x %.0f deltas/s, %d subscriber(s) each, %d s%n"
                + "lines accepted %d, failed streams %d%s%n"
                + "subscribers with the exact text: %d/%d (reconnected: %d/%d)%n"
                + "subscribers left with a gap %d, duplicates %d, recovered:false %d, unplanned drops %d%n"
                + "per-delta latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f (%d"
                + " samples)%n",
            config.streams(),
            config.deltasPerSecond(),
            perStream,
            config.durationSeconds(),
            accepted,
            failures.size(),
            failures.isEmpty() ? "" : " e.g. " + failures.get(0),
            exact,
            subscribers.size(),
            reconnectedExact,
            reconnected,
            gaps,
            duplicates,
            recoveredFalse,
            drops.get(),
            latency.percentileMillis(50),
            latency.percentileMillis(90),
            latency.percentileMillis(99),
            latency.percentileMillis(99.9),
            latency.maxMillis(),
            latency.count());
    boolean clean = failures.isEmpty() && exact == subscribers.size() && duplicates == 0;
    return new Outcome(json, table + cpuLine, clean);
  }
}
