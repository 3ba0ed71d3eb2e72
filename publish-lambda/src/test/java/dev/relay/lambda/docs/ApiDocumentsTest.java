package dev.relay.lambda.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The API documents are valid and current: {@code docs/openapi.yaml} is byte-for-byte the document
 * micronaut-openapi generates from publish-api at compile time and parses without a message under
 * swagger-parser; {@code docs/asyncapi.yaml} validates against the official AsyncAPI 2.6.0 JSON
 * Schema (from {@code @asyncapi/specs}, vendored under test resources), every {@code $ref} in it
 * resolves, and it describes both WebSocket paths.
 */
class ApiDocumentsTest {

  private static final Path ROOT = DocsFiles.root();
  private static final String GENERATED = "META-INF/swagger/relay-publish-api-1.yml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void committedOpenApiIsTheGeneratedOne() throws IOException {
    String generated;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(GENERATED)) {
      assertThat(in).as(GENERATED + " on the classpath (publish-api's jar)").isNotNull();
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(ROOT.resolve("docs/openapi.yaml")))
        .as(
            "docs/openapi.yaml is out of date: copy publish-api/target/classes/"
                + GENERATED
                + " over it")
        .isEqualTo(generated);
  }

  @Test
  void openApiParsesCleanlyAndDescribesThePublishEndpoints() throws IOException {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result =
        new OpenAPIV3Parser()
            .readContents(Files.readString(ROOT.resolve("docs/openapi.yaml")), null, options);

    assertThat(result.getMessages()).isEmpty();
    OpenAPI api = result.getOpenAPI();
    assertThat(api.getPaths()).containsKeys("/v1/events", "/events", "/v1/events:batch");
    assertThat(api.getPaths().get("/v1/events").getPost().getResponses())
        .containsKeys("202", "400", "401", "413", "415", "429", "503");
    assertThat(api.getComponents().getSecuritySchemes()).containsKeys("bearer", "hmac");
    assertThat(api.getComponents().getSchemas().get("PublishEvent").getRequired())
        .containsExactlyInAnyOrder("event", "payload");
  }

  @Test
  void asyncApiValidatesAgainstTheAsyncApi26Schema() throws IOException {
    JsonSchema schema;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("asyncapi/asyncapi-2.6.0.schema.json")) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    }
    JsonNode document = asyncApi();

    Set<ValidationMessage> errors = schema.validate(document);

    assertThat(errors).isEmpty();
    assertThat(document.get("asyncapi").asText()).isEqualTo("2.6.0");
  }

  @Test
  void asyncApiDescribesBothProtocolsAndEveryReferenceResolves() throws IOException {
    JsonNode document = asyncApi();
    assertThat(fieldNames(document.get("channels"))).containsExactly("/realtime", "/socket.io");
    for (String channel : List.of("/realtime", "/socket.io")) {
      assertThat(document.at(pointer("channels", channel, "publish", "message", "oneOf")).size())
          .as(channel + " client messages")
          .isPositive();
      assertThat(document.at(pointer("channels", channel, "subscribe", "message", "oneOf")).size())
          .as(channel + " server messages")
          .isPositive();
    }
    List<String> refs = new ArrayList<>();
    collectRefs(document, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/");
      assertThat(document.at(ref.substring(1)).isMissingNode()).as("resolves: " + ref).isFalse();
    }
  }

  private static JsonNode asyncApi() throws IOException {
    return YAML.readTree(ROOT.resolve("docs/asyncapi.yaml").toFile());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** A JSON pointer from raw keys ({@code /} and {@code ~} escaped). */
  private static String pointer(String... keys) {
    StringBuilder p = new StringBuilder();
    for (String key : keys) {
      p.append('/').append(key.replace("~", "~0").replace("/", "~1"));
    }
    return p.toString();
  }

  private static void collectRefs(JsonNode node, List<String> into) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
          into.add(field.getValue().asText());
        } else {
          collectRefs(field.getValue(), into);
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, into));
    }
  }
}
