package dev.relay.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import java.util.Map;

/**
 * The AWS Lambda entry point: publish-api, unchanged, behind an API Gateway HTTP API (payload
 * format 2.0, {@link APIGatewayV2HTTPEvent}). Set the function's handler to {@code
 * dev.relay.lambda.PublishLambdaHandler::handleRequest}.
 *
 * <p>Guarantees: the same controller, authenticator, parser and engine as {@code relay
 * publish-api}, so answers (202, problem details, idempotency) are identical; configuration comes
 * from the same environment variables ({@code REDIS_URL}, {@code RELAY_API_KEY}, ...) and is
 * validated while the function initialises, so a bad value fails the cold start with a message
 * naming the variable, before any request is answered. The application context is built once per
 * execution environment and reused by every invocation; the Redis connection is opened lazily on
 * the first publish and kept while the environment lives.
 */
public class PublishLambdaHandler extends APIGatewayV2HTTPEventFunction {

  /** The fixed properties of the Lambda role, as {@code ServiceMain.Role} gives the JVM role. */
  public static final Map<String, Object> ROLE_PROPERTIES =
      Map.of("relay.publish.enabled", "true", "relay.service.name", "publish-lambda");

  /** Used by the Lambda runtime: builds the context from the environment. */
  public PublishLambdaHandler() {
    super();
  }

  /** Serves requests with an already started context (tests, custom bootstraps). */
  public PublishLambdaHandler(ApplicationContext context) {
    super(context);
  }

  /** The context builder of the Lambda role; tests add their own properties to it. */
  public static ApplicationContextBuilder contextBuilder() {
    return ApplicationContext.builder().banner(false).properties(ROLE_PROPERTIES);
  }

  @Override
  protected ApplicationContextBuilder newApplicationContextBuilder() {
    return super.newApplicationContextBuilder().banner(false).properties(ROLE_PROPERTIES);
  }
}
