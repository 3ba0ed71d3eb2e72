package dev.relay.bench.client;

import dev.relay.bench.stats.DeliveryLedger;
import dev.relay.bench.stats.Samples;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens {@code n} WebSocket connections to a gateway, at most {@code maxInFlight} handshakes at a
 * time; connection {@code i} gets a fresh token for session {@code r<i % rooms>} and a {@link
 * DeliveryLedger.Receiver} for that room. {@link #connectAll} completes once every connection is
 * ready or failed. Counters are safe to read from any thread.
 */
public final class ClientFleet implements AutoCloseable {

  private final EventLoopGroup group;
  private final Protocol protocol;
  private final URI gateway;
  private final BenchTokens tokens;
  private final DeliveryLedger ledger;
  private final String runTag;
  private final int maxInFlight;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final List<DeliveryLedger.Receiver> receivers = new ArrayList<>();
  private final Samples connectTimes = new Samples(1_000_000);
  private final Map<String, Integer> failures = new TreeMap<>();
  private final AtomicInteger ready = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private volatile boolean closing;

  public ClientFleet(
      EventLoopGroup group,
      Protocol protocol,
      URI gateway,
      BenchTokens tokens,
      DeliveryLedger ledger,
      String runTag,
      int maxInFlight) {
    this.group = group;
    this.protocol = protocol;
    this.gateway = gateway;
    this.tokens = tokens;
    this.ledger = ledger;
    this.runTag = runTag;
    this.maxInFlight = maxInFlight;
  }

  /** Starts {@code n} connections; the future completes when all are ready or failed. */
  public CompletableFuture<Void> connectAll(int n) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (n == 0) {
      done.complete(null);
      return done;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger settled = new AtomicInteger();
    Runnable[] launch = new Runnable[1];
    launch[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i < n) {
            open(
                i,
                () -> {
                  if (settled.incrementAndGet() == n) {
                    done.complete(null);
                  } else {
                    launch[0].run();
                  }
                });
          }
        };
    for (int k = 0; k < Math.min(n, maxInFlight); k++) {
      launch[0].run();
    }
    return done;
  }

  private void open(int index, Runnable onSettled) {
    int room = index % ledger.rooms();
    DeliveryLedger.Receiver receiver = ledger.receiver(room);
    synchronized (receivers) {
      receivers.add(receiver);
    }
    String token = tokens.connectionToken("bench-" + index, "r" + room);
    URI uri = protocol.uri(gateway, token);
    long start = System.nanoTime();
    BenchSocket.ConnectionListener listener =
        new BenchSocket.ConnectionListener() {
          @Override
          public void ready(long connectNanos) {
            synchronized (connectTimes) {
              connectTimes.recordNanos(connectNanos);
            }
            ready.incrementAndGet();
            onSettled.run();
          }

          @Override
          public void failed(String reason) {
            failed.incrementAndGet();
            synchronized (failures) {
              failures.merge(reason, 1, Integer::sum);
            }
            onSettled.run();
          }

          @Override
          public void dropped() {
            if (!closing) {
              dropped.incrementAndGet();
            }
          }
        };
    ChannelFuture connect =
        WebSocketDialer.dial(
            group, uri, new BenchSocket(protocol, token, runTag, receiver, listener, start));
    connect.addListener(
        f -> {
          if (f.isSuccess()) {
            Channel channel = connect.channel();
            channels.add(channel);
          } else {
            listener.failed("connect: " + f.cause().getClass().getSimpleName());
          }
        });
  }

  public int ready() {
    return ready.get();
  }

  public int failed() {
    return failed.get();
  }

  public int dropped() {
    return dropped.get();
  }

  /** Failure reasons and their counts (a snapshot). */
  public Map<String, Integer> failures() {
    synchronized (failures) {
      return new TreeMap<>(failures);
    }
  }

  public List<DeliveryLedger.Receiver> receivers() {
    synchronized (receivers) {
      return List.copyOf(receivers);
    }
  }

  public Samples.Sorted connectTimes() {
    synchronized (connectTimes) {
      return Samples.merge(List.of(connectTimes));
    }
  }

  /** Closes every connection; drops after this call are not counted. */
  @Override
  public void close() {
    closing = true;
    channels.close().awaitUninterruptibly(10_000);
  }
}
