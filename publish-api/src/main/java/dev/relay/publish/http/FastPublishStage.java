package dev.relay.publish.http;

import dev.relay.publish.events.Publisher;
import dev.relay.service.http.FallbackExceptionHandler;
import dev.relay.service.intake.IntakeStage;
import dev.relay.service.net.ClientAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.ChannelHandler;
import jakarta.inject.Singleton;

/**
 * Puts a {@link FastPublishHandler} into every HTTP/1.1 connection of publish-api (and of dev
 * mode), after the intake's body limit, so single-event publishes skip Micronaut's request
 * pipeline. Not in the Lambda adapter, which has no Netty server: there {@link
 * PublishController#publish} answers them.
 */
@Singleton
@Requires(property = "relay.publish.enabled", notEquals = "false")
@Requires(classes = NettyServerCustomizer.class)
public class FastPublishStage implements IntakeStage {

  private final Publisher publisher;
  private final ClientAddress clientAddress;
  private final FastPublishAnswers answers;

  public FastPublishStage(
      Publisher publisher,
      ClientAddress clientAddress,
      MeterRegistry meters,
      FallbackExceptionHandler fallback) {
    this.publisher = publisher;
    this.clientAddress = clientAddress;
    this.answers = new FastPublishAnswers(meters, fallback);
  }

  @Override
  public String name() {
    return "relay-fast-publish";
  }

  @Override
  public ChannelHandler newHandler() {
    return new FastPublishHandler(publisher::publish, clientAddress, answers);
  }
}
