package dev.relay.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/openapi-admin.yaml} is current and clean: byte-for-byte the document
 * micronaut-openapi generates from the admin controllers at compile time, parsed without a message
 * by swagger-parser, with every admin endpoint of SPEC §8 behind the admin key and the dashboard
 * page open.
 */
class AdminApiDocumentTest {

  private static final String GENERATED = "META-INF/swagger/relay-gateway-admin-api-1.yml";
  private static final Path COMMITTED = Path.of("..", "docs", "openapi-admin.yaml");

  @Test
  void committedDocumentIsTheGeneratedOne() throws IOException {
    String generated;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(GENERATED)) {
      assertThat(in).as(GENERATED + " on the classpath").isNotNull();
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(COMMITTED))
        .as(
            "docs/openapi-admin.yaml is out of date: copy socket-gateway/target/classes/"
                + GENERATED
                + " over it")
        .isEqualTo(generated);
  }

  @Test
  void describesEveryAdminEndpointBehindTheAdminKey() throws IOException {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result =
        new OpenAPIV3Parser().readContents(Files.readString(COMMITTED), null, options);
    assertThat(result.getMessages()).isEmpty();
    OpenAPI api = result.getOpenAPI();

    Map<String, Operation> secured =
        Map.ofEntries(
            Map.entry(
                "GET /admin/cluster/rooms", api.getPaths().get("/admin/cluster/rooms").getGet()),
            Map.entry(
                "GET /admin/rooms/{room}/events",
                api.getPaths().get("/admin/rooms/{room}/events").getGet()),
            Map.entry(
                "POST /admin/rooms/{room}/unsubscribe",
                api.getPaths().get("/admin/rooms/{room}/unsubscribe").getPost()),
            Map.entry(
                "POST /admin/users/{sub}/disconnect",
                api.getPaths().get("/admin/users/{sub}/disconnect").getPost()),
            Map.entry("GET /admin/rooms", api.getPaths().get("/admin/rooms").getGet()),
            Map.entry(
                "GET /admin/rooms/{room}", api.getPaths().get("/admin/rooms/{room}").getGet()),
            Map.entry(
                "DELETE /admin/connections/{id}",
                api.getPaths().get("/admin/connections/{id}").getDelete()),
            Map.entry(
                "POST /admin/revocations", api.getPaths().get("/admin/revocations").getPost()),
            Map.entry("GET /admin/stats", api.getPaths().get("/admin/stats").getGet()));
    List<SecurityRequirement> adminKey = List.of(new SecurityRequirement().addList("adminKey"));
    secured.forEach(
        (route, operation) -> {
          assertThat(operation).as(route).isNotNull();
          assertThat(operation.getSummary()).as(route + " summary").isNotBlank();
          assertThat(operation.getSecurity()).as(route + " security").isEqualTo(adminKey);
          assertThat(operation.getResponses()).as(route).containsKeys("401", "404");
        });
    assertThat(api.getPaths().get("/admin/revocations").getPost().getResponses())
        .containsKeys("202", "400");
    assertThat(api.getPaths().get("/admin/connections/{id}").getDelete().getResponses())
        .containsKey("204");
    assertThat(api.getComponents().getSchemas().get("AdminController.Revocation").getRequired())
        .containsExactlyInAnyOrder("jti", "exp");
    assertThat(api.getComponents().getSecuritySchemes().get("adminKey").getScheme())
        .isEqualTo("bearer");
    assertThat(api.getPaths().get("/admin").getGet().getSecurity())
        .as("the dashboard page itself asks for the key in the browser")
        .isNull();
    assertThat(api.getPaths().get("/admin/dashboard.js").getGet().getSecurity())
        .as("the page's script holds no secret either")
        .isNull();
  }
}
