package dev.relay.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The published schema files: well-formed JSON Schemas, and exactly what the index lists. */
class SchemaFilesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void everySchemaFileIsAValidDraft202012Schema() throws Exception {
    JsonSchema metaSchema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SchemaLocation.of(SchemaId.V202012));
    List<Path> files = schemaFiles();
    assertThat(files).hasSize(25);
    for (Path file : files) {
      JsonNode schema = MAPPER.readTree(file.toFile());
      assertThat(metaSchema.validate(schema)).as(file.toString()).isEmpty();
      assertThat(schema.path("$schema").asText())
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(schema.path("type").asText()).as(file.toString()).isEqualTo("object");
    }
  }

  @Test
  void theIndexListsEveryPayloadSchemaFileAndNothingElse() throws Exception {
    JsonNode index = resource("schemas/index.json");
    List<String> listed = new ArrayList<>();
    index.path("types").fieldNames().forEachRemaining(listed::add);
    assertThat(listed).containsExactlyElementsOf(EventSchemaRegistryTest.REQUIRED.keySet());

    List<String> files = new ArrayList<>();
    for (Path file : schemaFiles()) {
      String name = file.getFileName().toString();
      if (!name.equals("envelope.json")) {
        files.add(name.substring(0, name.length() - ".json".length()));
      }
    }
    assertThat(files).containsExactlyInAnyOrderElementsOf(listed);
  }

  @Test
  void eachPayloadSchemaRequiresExactlyTheSpecFields() throws Exception {
    for (var entry : EventSchemaRegistryTest.REQUIRED.entrySet()) {
      JsonNode schema = resource(EventSchemaRegistry.schemaPath(entry.getKey(), 1));
      List<String> required = new ArrayList<>();
      schema.path("required").forEach(f -> required.add(f.asText()));
      List<String> expected = new ArrayList<>(entry.getValue());
      expected.addAll(
          EventSchemaRegistryTest.REQUIRED_OTHER.getOrDefault(entry.getKey(), Map.of()).keySet());
      assertThat(required).as(entry.getKey()).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(schema.path("$id").asText()).isEqualTo("urn:relay:schemas:v1:" + entry.getKey());
    }
  }

  private static List<Path> schemaFiles() throws IOException, URISyntaxException {
    Path dir = Path.of(SchemaFilesTest.class.getClassLoader().getResource("schemas/v1").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static JsonNode resource(String path) throws IOException {
    try (InputStream in = SchemaFilesTest.class.getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return MAPPER.readTree(in);
    }
  }
}
