package dev.relay.gateway.server;

import dev.relay.service.http.Problem;
import dev.relay.service.ops.OpsController;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What micronaut-openapi needs beyond the admin controllers to write the gateway admin API's
 * OpenAPI document at compile time ({@code META-INF/swagger/relay-gateway-admin-api-1.yml},
 * committed as {@code docs/openapi-admin.yaml}). Nothing here is used at run time.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Relay gateway admin API",
            version = "1",
            description =
                "Operator endpoints of a socket-gateway (SPEC §8), on the gateway's port. Off"
                    + " (404) unless ADMIN_API_KEY is set. Rooms and connections are this"
                    + " instance's; members come from the shared presence store; a revocation"
                    + " reaches every instance. Errors are RFC 9457 problem details with a stable"
                    + " code. The publish API is in docs/openapi.yaml.",
            license = @License(name = "Apache-2.0")))
@SecurityScheme(
    name = "adminKey",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "Authorization: Bearer <one of ADMIN_API_KEY>")
// The ops endpoints every service serves (service-common), so the document covers every route.
@OpenAPIInclude(classes = OpsController.class)
final class AdminApiDocs {

  private static final String PROBLEM = "application/problem+json";

  private AdminApiDocs() {}

  /**
   * The admin key every admin operation needs (all but the dashboard page itself), and the
   * problem-details answers they share.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @SecurityRequirement(name = "adminKey")
  @ApiResponse(
      responseCode = "401",
      description = "unauthorized: missing or wrong admin key",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "404",
      description = "not_found: the admin API is off (no ADMIN_API_KEY)",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @interface AdminProblems {}
}
