package dev.relay.publish.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi}: the publish-api's OpenAPI document as generated at compile time. Served in
 * dev mode only ({@code ./relay dev}); production services do not expose it (the same file is
 * {@code docs/openapi.yaml}).
 */
@Hidden
@Controller
@Requires(property = "relay.dev-mode", value = "true")
@Requires(property = "relay.publish.enabled", notEquals = "false")
public class OpenApiController {

  static final String RESOURCE = "META-INF/swagger/relay-publish-api-1.yml";

  @Get(uri = "/openapi", produces = "application/yaml")
  public HttpResponse<byte[]> openapi() {
    try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return HttpResponse.notFound();
      }
      return HttpResponse.ok(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
