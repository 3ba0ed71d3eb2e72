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
 * handler bounds its idle time and total length (SPEC §12). The server-side control routes ({@code
 * /v1/rooms/{room}/unsubscribe}, {@code /v1/users/{sub}/disconnect}) take {@value
 * #CONTROL_BODY_BYTES} bytes with credentials. Every other route gets {@link IntakeRule#DEFAULT}.
 */
@Singleton
@Requires(property = "relay.publish.enabled", notEquals = "false")
// Routes for the Netty server's intake handlers; the Lambda handler has no Netty server.
@Requires(classes = NettyServerCustomizer.class)
public class PublishIntakeRoutes implements IntakeRoutes {

  /** The body limit of the server-side control routes (a small JSON object, SPEC §11). */
  public static final long CONTROL_BODY_BYTES = 4 * 1024;

  private final Map<String, IntakeRule> limits;
  private final IntakeRule control;

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
    this.control = new IntakeRule(CONTROL_BODY_BYTES, credentials);
  }

  @Override
  public IntakeRule ruleFor(String method, String path) {
    if (!method.equals("POST")) {
      return null;
    }
    IntakeRule rule = limits.get(path);
    if (rule == null && isControl(path)) {
      return control;
    }
    return rule;
  }

  /** {@code /v1/rooms/<room>/unsubscribe} and {@code /v1/users/<sub>/disconnect}. */
  private static boolean isControl(String path) {
    return (path.startsWith("/v1/rooms/") && path.endsWith("/unsubscribe"))
        || (path.startsWith("/v1/users/") && path.endsWith("/disconnect"));
  }
}
