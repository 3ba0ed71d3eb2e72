package dev.relay.bench.stream;

import dev.relay.bench.client.Transports;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code POST /v1/events:stream} of the streaming load: {@code deltas} {@code message.delta}
 * lines to {@code session:<sessionId>}, one every {@code 1/rate} s on the channel's event loop
 * (timers, no sleeps), then {@code message.completed} with the full text, then the end of the body.
 * {@link #answer} completes with the server's summary (or fails with what went wrong).
 */
final class DeltaStream {

  private final String sessionId;
  private final int firstNumber;
  private final int deltas;
  private final DeltaClock clock;
  private final StringBuilder text = new StringBuilder();
  final CompletableFuture<String> answer = new CompletableFuture<>();
  private int sent;
  private ScheduledFuture<?> ticker;

  /**
   * @param firstNumber the run-wide number of this stream's first delta ({@link DeltaClock})
   */
  DeltaStream(String sessionId, int firstNumber, int deltas, DeltaClock clock) {
    this.sessionId = sessionId;
    this.firstNumber = firstNumber;
    this.deltas = deltas;
    this.clock = clock;
  }

  /** The full text this stream sends: what every subscriber must end with. */
  String expectedText() {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < deltas; i++) {
      all.append(DeltaClock.text(firstNumber + i));
    }
    return all.toString();
  }

  void start(EventLoopGroup group, URI publishUrl, String apiKey, double rate) {
    int port = publishUrl.getPort() > 0 ? publishUrl.getPort() : 80;
    Transports.client(
            group,
            15_000,
            pipeline ->
                pipeline.addLast(
                    new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new Answer()))
        .connect(publishUrl.getHost(), port)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                answer.completeExceptionally(f.cause());
                return;
              }
              Channel channel = ((io.netty.channel.ChannelFuture) f).channel();
              HttpRequest request =
                  new DefaultHttpRequest(
                      HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/events:stream");
              request.headers().set(HttpHeaderNames.HOST, publishUrl.getHost());
              request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey);
              request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson");
              request.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
              channel.writeAndFlush(request);
              long period = Math.max(1, (long) (1e9 / rate));
              ticker =
                  channel
                      .eventLoop()
                      .scheduleAtFixedRate(() -> tick(channel), 0, period, TimeUnit.NANOSECONDS);
            });
  }

  /** Reads the summary (or the refusal) at the end. */
  private final class Answer extends SimpleChannelInboundHandler<FullHttpResponse> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      stop();
      String body = response.content().toString(StandardCharsets.UTF_8);
      if (response.status().code() == 200) {
        answer.complete(body);
      } else {
        answer.completeExceptionally(
            new IllegalStateException(response.status().code() + " " + body));
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      stop();
      answer.completeExceptionally(new IllegalStateException("closed after " + sent + " deltas"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
      answer.completeExceptionally(e);
      ctx.close();
    }
  }

  private void tick(Channel channel) {
    if (sent == deltas) {
      stop();
      line(channel, completed());
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      return;
    }
    int number = firstNumber + sent;
    sent++;
    String delta = DeltaClock.text(number);
    text.append(delta);
    String json =
        "{\"sessionId\":\""
            + sessionId
            + "\",\"event\":\"message.delta\",\"payload\":{\"messageId\":\"m-"
            + sessionId
            + "\",\"conversationId\":\""
            + sessionId
            + "\",\"seq\":"
            + sent
            + ",\"delta\":\""
            + delta
            + "\"}}";
    clock.sent(number, System.nanoTime());
    line(channel, json);
  }

  private String completed() {
    return "{\"sessionId\":\""
        + sessionId
        + "\",\"event\":\"message.completed\",\"payload\":{\"messageId\":\"m-"
        + sessionId
        + "\",\"conversationId\":\""
        + sessionId
        + "\",\"content\":\""
        + text
        + "\"}}";
  }

  private static void line(Channel channel, String json) {
    channel.writeAndFlush(
        new DefaultHttpContent(
            Unpooled.wrappedBuffer((json + "\n").getBytes(StandardCharsets.UTF_8))));
  }

  private void stop() {
    if (ticker != null) {
      ticker.cancel(false);
    }
  }
}
