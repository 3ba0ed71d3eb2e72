package dev.relay.publish.http;

import dev.relay.publish.events.PublishSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.HttpServerConfiguration;
import jakarta.inject.Singleton;

/**
 * Sets Micronaut's maximum request size to the largest body of any publish route (a batch), as a
 * backstop behind {@link PublishIntakeRoutes}, which refuses a body over its own route's limit
 * before Micronaut reads it.
 */
@Singleton
@Requires(property = "relay.publish.enabled", notEquals = "false")
public class RequestSizeLimit implements BeanCreatedEventListener<HttpServerConfiguration> {

  @Override
  public HttpServerConfiguration onCreated(BeanCreatedEvent<HttpServerConfiguration> event) {
    HttpServerConfiguration server = event.getBean();
    server.setMaxRequestSize(PublishSettings.MAX_BATCH_BODY_BYTES);
    return server;
  }
}
