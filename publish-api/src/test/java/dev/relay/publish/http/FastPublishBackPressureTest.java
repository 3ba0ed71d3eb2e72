package dev.relay.publish.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.Appended;
import dev.relay.service.http.ProblemException;
import dev.relay.service.net.ClientAddress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on what one connection of the fast publish path holds: while a publish is under way the
 * handler asks the socket for nothing more, so what it holds is at most the one read that carried
 * the request (pipelined requests in it wait, in order); a client that keeps sending meets TCP
 * back-pressure, not a growing queue. Micronaut's server reads on demand (auto-read off), as here.
 */
class FastPublishBackPressureTest {

  private final List<CompletableFuture<Appended>> publishes = new ArrayList<>();
  private int reads;
  private EmbeddedChannel channel;

  private EmbeddedChannel open() {
    channel = new EmbeddedChannel();
    channel.config().setAutoRead(false);
    channel
        .pipeline()
        .addLast(
            new ChannelOutboundHandlerAdapter() {
              @Override
              public void read(ChannelHandlerContext ctx) {
                reads++;
                ctx.read();
              }
            },
            new FastPublishHandler(
                request -> {
                  CompletableFuture<Appended> publish = new CompletableFuture<>();
                  publishes.add(publish);
                  return publish;
                },
                new ClientAddress(List.of()),
                new FastPublishAnswers(new SimpleMeterRegistry(), null)));
    return channel;
  }

  @AfterEach
  void close() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  private static FullHttpRequest publish(int n) {
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.POST,
            "/v1/events",
            Unpooled.copiedBuffer("{\"n\":" + n + "}", StandardCharsets.UTF_8));
    request.headers().set("content-type", "application/json");
    return request;
  }

  private static void refuse(CompletableFuture<Appended> publish) {
    publish.completeExceptionally(ProblemException.invalid("room", "refused by the test"));
  }

  @Test
  void asksForNothingMoreWhilePublishingAndAnswersHeldRequestsInOrder() {
    EmbeddedChannel ch = open();

    // One socket read carrying three pipelined publishes.
    ch.writeInbound(publish(1), publish(2), publish(3));

    assertThat(publishes).as("one publish at a time").hasSize(1);
    assertThat(reads).as("reads asked while the publish is under way").isZero();
    assertThat((Object) ch.readInbound()).as("nothing goes on to Micronaut").isNull();

    refuse(publishes.get(0));
    assertThat(answer(ch)).isEqualTo(400);
    assertThat(publishes).as("the first held request is taken next").hasSize(2);
    assertThat(reads).as("still under way: nothing asked").isZero();

    refuse(publishes.get(1));
    assertThat(answer(ch)).isEqualTo(400);
    refuse(publishes.get(2));
    assertThat(answer(ch)).isEqualTo(400);
    assertThat(reads).as("the connection is read on once nothing is held or under way").isOne();
    assertThat((Object) ch.readOutbound()).isNull();
  }

  @Test
  void aClosedConnectionReleasesWhatItHeld() {
    EmbeddedChannel ch = open();
    FullHttpRequest held = publish(2);
    ch.writeInbound(publish(1), held);

    ch.close();

    assertThat(held.refCnt()).as("the held request is released").isZero();
    refuse(publishes.get(0));
    assertThat((Object) ch.readOutbound()).as("no answer on a closed connection").isNull();
  }

  private static int answer(EmbeddedChannel ch) {
    FullHttpResponse response = ch.readOutbound();
    try {
      return response.status().code();
    } finally {
      response.release();
    }
  }
}
