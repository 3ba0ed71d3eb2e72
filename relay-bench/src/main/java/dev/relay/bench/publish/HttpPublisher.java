package dev.relay.bench.publish;

import dev.relay.bench.client.Transports;
import dev.relay.bench.stats.DeliveryLedger;
import dev.relay.bench.stats.Samples;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes events {@code 0..total-1} to {@code POST /v1/events} at a steady rate over a pool of
 * HTTP/1.1 keep-alive connections (one request in flight per connection, no pipelining). A 1 ms
 * timer on one event loop releases the events that are due; an event waits only when all {@code
 * maxConnections} are busy ({@link #maxBacklog} shows it). Event {@code seq} targets session {@code
 * r<seq % rooms>} with nonce {@code <runTag>-<seq>}; its publish start is recorded in the ledger
 * just before the request is written. All pool state is confined to that one event loop.
 */
public final class HttpPublisher {

  private static final AttributeKey<long[]> IN_FLIGHT = AttributeKey.valueOf("benchInFlight");

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final URI base;
  private final String authorization;
  private final DeliveryLedger ledger;
  private final String runTag;
  private final String pad;
  private final int maxConnections;
  private final long warmupEvents;
  private final ArrayDeque<Channel> idle = new ArrayDeque<>();
  private final ArrayDeque<Long> pending = new ArrayDeque<>();
  private final Samples latencies = new Samples(50_000_000);
  private final Map<String, Integer> errors = new TreeMap<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private int open;
  private int inFlight;
  private long next;
  private long total;
  private int maxBacklog;

  public HttpPublisher(
      EventLoopGroup group,
      URI base,
      String apiKey,
      DeliveryLedger ledger,
      String runTag,
      int payloadBytes,
      int maxConnections,
      long warmupEvents) {
    this.loop = group.next();
    this.base = base;
    this.authorization = "Bearer " + apiKey;
    this.ledger = ledger;
    this.runTag = runTag;
    this.pad = "x".repeat(Math.max(0, payloadBytes));
    this.maxConnections = maxConnections;
    this.warmupEvents = warmupEvents;
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(Transports.socketChannelFor(group))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpClientCodec(),
                            new HttpObjectAggregator(1 << 20),
                            new ResponseHandler());
                  }
                });
  }

  /**
   * Publishes {@code total} events at {@code rate} per second; completes when every request has
   * been answered or failed.
   */
  public CompletableFuture<Void> run(double rate, long total) {
    loop.execute(
        () -> {
          this.total = total;
          if (total == 0) {
            done.complete(null);
            return;
          }
          long start = System.nanoTime();
          ScheduledFuture<?> timer =
              loop.scheduleAtFixedRate(() -> tick(start, rate), 0, 1, TimeUnit.MILLISECONDS);
          done.whenComplete((v, e) -> timer.cancel(false));
        });
    return done;
  }

  private void tick(long start, double rate) {
    long due = Math.min(total, (long) ((System.nanoTime() - start) * rate / 1e9) + 1);
    while (next < due) {
      pending.add(next++);
    }
    maxBacklog = Math.max(maxBacklog, pending.size());
    dispatch();
  }

  private void dispatch() {
    while (!pending.isEmpty()) {
      Channel channel = idle.poll();
      if (channel == null) {
        if (open < maxConnections) {
          connect();
        }
        break;
      }
      if (!channel.isActive()) {
        continue;
      }
      send(channel, pending.poll());
    }
    checkDone();
  }

  private void connect() {
    open++;
    bootstrap
        .connect(base.getHost(), base.getPort())
        .addListener(
            f -> {
              if (f.isSuccess()) {
                idle.add(((io.netty.channel.ChannelFuture) f).channel());
              } else {
                open--;
                error("connect: " + f.cause().getClass().getSimpleName());
              }
              dispatch();
            });
  }

  private void send(Channel channel, long seq) {
    String body =
        "{\"sessionId\":\"r"
            + ledger.roomOf(seq)
            + "\",\"event\":\"bench.tick\",\"payload\":{\"seq\":"
            + seq
            + ",\"pad\":\""
            + pad
            + "\"},\"nonce\":\""
            + runTag
            + "-"
            + seq
            + "\"}";
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/events", content);
    request.headers().set(HttpHeaderNames.HOST, base.getHost() + ":" + base.getPort());
    request.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
    request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    request.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    long startNanos = System.nanoTime();
    channel.attr(IN_FLIGHT).set(new long[] {seq, startNanos});
    ledger.published(seq, startNanos);
    inFlight++;
    sent.incrementAndGet();
    channel.writeAndFlush(request);
  }

  private void checkDone() {
    if (next == total && pending.isEmpty() && inFlight == 0) {
      done.complete(null);
    }
  }

  private void error(String reason) {
    failed.incrementAndGet();
    errors.merge(reason, 1, Integer::sum);
  }

  private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      long now = System.nanoTime();
      long[] request = ctx.channel().attr(IN_FLIGHT).getAndSet(null);
      if (request == null) {
        return;
      }
      inFlight--;
      if (request[0] >= warmupEvents) {
        latencies.recordNanos(now - request[1]);
      }
      if (response.status().code() == 202) {
        accepted.incrementAndGet();
        ledger.accepted(request[0]);
      } else {
        error("HTTP " + response.status().code());
      }
      if (HttpUtil.isKeepAlive(response)) {
        idle.add(ctx.channel());
      } else {
        ctx.close();
      }
      dispatch();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      open--;
      idle.remove(ctx.channel());
      if (ctx.channel().attr(IN_FLIGHT).getAndSet(null) != null) {
        inFlight--;
        error("connection closed");
      }
      dispatch();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      error(cause.getClass().getSimpleName());
      ctx.close();
    }
  }

  public long sent() {
    return sent.get();
  }

  public long accepted() {
    return accepted.get();
  }

  public long failed() {
    return failed.get();
  }

  /** The most events that waited for a free connection at once. Read after {@link #run} ended. */
  public int maxBacklog() {
    return maxBacklog;
  }

  /** Publish latencies (after warm-up); read after {@link #run} ended. */
  public Samples.Sorted latencies() {
    return Samples.merge(java.util.List.of(latencies));
  }

  /** Error reasons and counts; read after {@link #run} ended. */
  public Map<String, Integer> errors() {
    return new TreeMap<>(errors);
  }
}
