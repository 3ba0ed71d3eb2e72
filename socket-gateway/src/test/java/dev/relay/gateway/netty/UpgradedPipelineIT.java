package dev.relay.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.engine.EventLog;
import dev.relay.gateway.it.GatewayFixture;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a connection keeps once it is a WebSocket (#17, idle heap per connection), on a real
 * gateway: its pipeline holds only the WebSocket decoder and encoder, the frame aggregator and the
 * gateway's frame handler, for both protocols, and neither Micronaut's per-stream HTTP state nor
 * the upgrade's own attribute stays on the channel. A connection that stays HTTP keeps its HTTP
 * handlers and state.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpgradedPipelineIT implements TestPropertyProvider {

  /** The handlers an upgraded connection needs, in pipeline order (and Netty's tail). */
  private static final List<String> WEBSOCKET_HANDLERS =
      List.of(
          "wsencoder",
          "wsdecoder",
          "relay-ws-aggregator",
          "relay-ws-frames",
          "DefaultChannelPipeline$TailContext#0");

  @Inject EmbeddedServer server;
  @Inject EventLog log;
  @Inject Channels channels;

  private GatewayFixture gw;

  @Override
  public Map<String, String> getProperties() {
    return GatewayFixture.properties("test.capture-channels", "true");
  }

  @BeforeEach
  void fixture() {
    gw = new GatewayFixture(server.getURI(), log);
    channels.seen.clear();
  }

  @Test
  void aJsonProtocolWebSocketKeepsOnlyTheHandlersItNeeds() throws Exception {
    String token = gw.token("acct-1", GatewayFixture.unique("s"), List.of(), List.of());
    try (WsTestClient client = WsTestClient.connect(gw.wsUrl("?token=" + token))) {
      client.expect("welcome");
      Channel channel = channelWhere(names -> names.contains("relay-ws-frames"));

      assertThat(onLoop(channel, () -> channel.pipeline().names())).isEqualTo(WEBSOCKET_HANDLERS);
      assertThat(onLoop(channel, () -> HttpLeftovers.holdsHttpState(channel))).isFalse();
      assertThat(onLoop(channel, () -> channel.hasAttr(AttributeKey.valueOf(REFUSED)))).isFalse();
    }
  }

  @Test
  void aSocketIoWebSocketKeepsOnlyTheHandlersItNeeds() throws Exception {
    try (WsTestClient client =
        WsTestClient.connect(gw.url("ws", "/socket.io/?EIO=4&transport=websocket"))) {
      Channel channel = channelWhere(names -> names.contains("relay-ws-frames"));

      assertThat(onLoop(channel, () -> channel.pipeline().names())).isEqualTo(WEBSOCKET_HANDLERS);
      assertThat(onLoop(channel, () -> HttpLeftovers.holdsHttpState(channel))).isFalse();
    }
  }

  @Test
  void aConnectionThatStaysHttpKeepsItsHttpHandlersAndState() throws Exception {
    assertThat(HttpLeftovers.knowsMicronautsAttribute()).isTrue();
    try (Socket socket = new Socket(server.getHost(), server.getPort())) {
      socket
          .getOutputStream()
          .write(
              "GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readNBytes(12), StandardCharsets.UTF_8)).startsWith("HTTP/1.1");
      Channel channel = channelWhere(names -> names.contains(HttpEndpointHandler.NAME));

      assertThat(onLoop(channel, () -> HttpLeftovers.holdsHttpState(channel))).isTrue();
      assertThat(onLoop(channel, () -> channel.pipeline().names())).doesNotContain("wsdecoder");
    }
  }

  private static final String REFUSED = "relay-upgrade-refused";

  /** The one open server-side connection whose handler names match. */
  private Channel channelWhere(Predicate<List<String>> match) {
    return await()
        .until(
            () ->
                channels.seen.stream()
                    .filter(Channel::isActive)
                    .filter(c -> match.test(onLoop(c, () -> c.pipeline().names())))
                    .findFirst(),
            found -> found.isPresent())
        .orElseThrow();
  }

  private static <T> T onLoop(Channel channel, Callable<T> read) {
    try {
      return channel.eventLoop().submit(read).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every server-side connection of this test's gateway. */
  @Singleton
  @Requires(property = "test.capture-channels", value = "true")
  static final class Channels implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    final Queue<Channel> seen = new ConcurrentLinkedQueue<>();

    @Override
    public NettyServerCustomizer.Registry onCreated(
        BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
      event
          .getBean()
          .register(
              new NettyServerCustomizer() {
                @Override
                public NettyServerCustomizer specializeForChannel(
                    Channel channel, ChannelRole role) {
                  if (role == ChannelRole.CONNECTION) {
                    seen.add(channel);
                  }
                  return this;
                }
              });
      return event.getBean();
    }
  }
}
