package dev.relay.publish.http;

import dev.relay.publish.events.PublishSettings;
import dev.relay.service.config.EnvConfig;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.HttpServerConfiguration;
import jakarta.inject.Singleton;

/**
 * Sets Micronaut's maximum request size to the largest valid batch, so a larger body is refused by
 * the server itself with 413 {@code payload_too_large} (problem+json) before it is buffered.
 */
@Singleton
@Requires(property = "relay.publish.enabled", notEquals = "false")
public class RequestSizeLimit implements BeanCreatedEventListener<HttpServerConfiguration> {

  private final EnvConfig config;

  public RequestSizeLimit(EnvConfig config) {
    this.config = config;
  }

  @Override
  public HttpServerConfiguration onCreated(BeanCreatedEvent<HttpServerConfiguration> event) {
    HttpServerConfiguration server = event.getBean();
    server.setMaxRequestSize(PublishSettings.maxBatchBodyBytes(config));
    return server;
  }
}
