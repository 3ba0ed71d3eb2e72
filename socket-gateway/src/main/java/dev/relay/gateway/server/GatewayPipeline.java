package dev.relay.gateway.server;

import dev.relay.gateway.netty.HttpEndpointHandler;
import dev.relay.gateway.netty.WebSocketUpgradeHandler;
import dev.relay.gateway.protocol.socketio.SocketIoGateway;
import dev.relay.gateway.protocol.sse.SseEndpoint;
import dev.relay.gateway.transport.OutboundBudget;
import dev.relay.service.net.ClientAddress;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Puts the {@link WebSocketUpgradeHandler} into every HTTP/1.1 connection of Micronaut's server,
 * right after the HTTP codec, so the gateway's WebSocket paths share the server's port, and after
 * it an {@link HttpEndpointHandler} that serves Engine.IO long-polling on {@code /socket.io/} and
 * the SSE fallback on {@code /realtime/sse}.
 */
@Singleton
@Requires(property = "relay.gateway.enabled", notEquals = "false")
public class GatewayPipeline implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

  private final Provider<WebSocketUpgradeHandler> handler;
  private final Provider<SocketIoGateway> socketIo;
  private final Provider<GatewaySettings> settings;
  private final Provider<GatewayExtras> extras;
  private final Provider<SseEndpoint> sse;
  private final Provider<OutboundBudget> budget;

  public GatewayPipeline(
      Provider<WebSocketUpgradeHandler> handler,
      Provider<SocketIoGateway> socketIo,
      Provider<GatewaySettings> settings,
      Provider<GatewayExtras> extras,
      Provider<SseEndpoint> sse,
      Provider<OutboundBudget> budget) {
    this.extras = extras;
    this.sse = sse;
    this.budget = budget;
    this.handler = handler;
    this.socketIo = socketIo;
    this.settings = settings;
  }

  @Override
  public NettyServerCustomizer.Registry onCreated(
      BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
    event.getBean().register(new Customizer(null));
    return event.getBean();
  }

  private final class Customizer implements NettyServerCustomizer {
    private final Channel channel;

    Customizer(Channel channel) {
      this.channel = channel;
    }

    @Override
    public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
      return role == ChannelRole.CONNECTION ? new Customizer(channel) : this;
    }

    @Override
    public void onStreamPipelineBuilt() {
      if (channel != null
          && channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
          && channel.pipeline().get(WebSocketUpgradeHandler.NAME) == null) {
        channel
            .pipeline()
            .addAfter(
                ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
                WebSocketUpgradeHandler.NAME,
                handler.get());
        channel
            .pipeline()
            .addAfter(
                WebSocketUpgradeHandler.NAME,
                HttpEndpointHandler.NAME,
                new HttpEndpointHandler(
                    Map.of("/socket.io", socketIo.get().polling(), "/realtime/sse", sse.get()),
                    settings.get().socketIo().maxPayload(),
                    new ClientAddress(extras.get().trustedProxies()),
                    budget.get()));
      }
    }
  }
}
