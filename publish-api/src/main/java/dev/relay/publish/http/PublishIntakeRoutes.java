package dev.relay.publish.http;

import dev.relay.publish.auth.PublishAuthenticator;
import dev.relay.publish.events.PublishSettings;
import dev.relay.publish.stream.StreamSettings;
import dev.relay.service.intake.IntakeRoutes;
import dev.relay.service.intake.IntakeRule;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The body limits of the publish routes (SPEC §10), applied before the body is read: {@code POST
 * /v1/events} and {@code /events} take one event ({@code RELAY_MAX_PAYLOAD_BYTES} plus 8 KiB, 72
 * KiB by default), {@code POST /v1/events:batch} 8 MiB. Each needs credentials: a request whose
 * headers carry neither a valid bearer key nor a well-formed, current signature is refused 401
 * before its body is read. {@code POST /v1/events:stream} takes 16 MiB, accepts only a bearer key
 * (a signature over a body that never ends before its lines are delivered proves nothing in time)
 * and is a streamed route: {@code RELAY_REQUEST_TIMEOUT} limits its headers only, and its own
 * handler bounds its idle time and total length (SPEC §12). Every other route gets {@link
 * IntakeRule#DEFAULT}.
 */
@Singleton
@Requires(property = "relay.publish.enabled", notEquals = "false")
// Routes for the Netty server's intake handlers; the Lambda handler has no Netty server.
@Requires(classes = NettyServerCustomizer.class)
public class PublishIntakeRoutes implements IntakeRoutes {

  private final Map<String, IntakeRule> limits;

  public PublishIntakeRoutes(PublishSettings settings, PublishAuthenticator authenticator) {
    IntakeRule.CredentialCheck credentials =
        headers ->
            authenticator.plausible(
                headers.get(HttpHeaders.AUTHORIZATION), headers.get(PublishController.SIGNATURE));
    IntakeRule single = new IntakeRule(settings.maxSingleBodyBytes(), credentials);
    this.limits =
        Map.of(
            "/v1/events",
            single,
            "/events",
            single,
            "/v1/events:batch",
            new IntakeRule(settings.maxBatchBodyBytes(), credentials),
            "/v1/events:stream",
            new IntakeRule(
                StreamSettings.MAX_BODY_BYTES,
                headers -> authenticator.plausible(headers.get(HttpHeaders.AUTHORIZATION), null),
                true));
  }

  @Override
  public IntakeRule ruleFor(String method, String path) {
    return method.equals("POST") ? limits.get(path) : null;
  }
}
