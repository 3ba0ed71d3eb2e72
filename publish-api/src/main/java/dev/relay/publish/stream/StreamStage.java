package dev.relay.publish.stream;

import dev.relay.publish.auth.PublishAuthenticator;
import dev.relay.publish.events.PublishSettings;
import dev.relay.publish.events.Publisher;
import dev.relay.service.config.EnvConfig;
import dev.relay.service.intake.IntakeStage;
import dev.relay.service.net.ClientAddress;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.ChannelHandler;
import jakarta.inject.Singleton;

/**
 * Puts a {@link StreamHandler} into every HTTP/1.1 connection of publish-api (and of dev mode),
 * after the intake's body limit. Not in the Lambda adapter, which has no Netty server and buffers
 * whole requests: there {@code POST /v1/events:stream} is answered 404 by {@code StreamController}.
 */
@Singleton
@Requires(property = "relay.publish.enabled", notEquals = "false")
@Requires(classes = NettyServerCustomizer.class)
public class StreamStage implements IntakeStage {

  private final StreamSettings settings;
  private final Publisher publisher;
  private final PublishAuthenticator authenticator;
  private final ClientAddress clientAddress;

  public StreamStage(
      EnvConfig config,
      PublishSettings publishSettings,
      Publisher publisher,
      PublishAuthenticator authenticator,
      ClientAddress clientAddress) {
    this.settings = StreamSettings.from(config, publishSettings.maxSingleBodyBytes());
    this.publisher = publisher;
    this.authenticator = authenticator;
    this.clientAddress = clientAddress;
  }

  @Override
  public String name() {
    return "relay-event-stream";
  }

  @Override
  public ChannelHandler newHandler() {
    return new StreamHandler(settings, publisher, authenticator, clientAddress);
  }
}
