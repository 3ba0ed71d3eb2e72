package dev.relay.contracts.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The JSON Schemas of the known event types (SPEC §3), one per type and version, compiled once.
 *
 * <p>Layout on the classpath (and in the published jar): {@code schemas/index.json} lists every
 * type with its versions; the payload schema of a type at a version is {@code
 * schemas/v<version>/<type>.json}. A breaking change to a type's payload adds a version (a new file
 * under {@code schemas/v2/}, the version appended in the index); existing files never change, so
 * payloads valid against an old version stay valid against it.
 *
 * <p>Instances are immutable and thread-safe; {@link #validate} parses nothing and never throws on
 * any payload.
 */
public final class EventSchemaRegistry {

  static final String DEFAULT_INDEX = "schemas/index.json";
  private static final String NOT_AN_OBJECT = "payload must be a JSON object";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, NavigableMap<Integer, JsonSchema>> schemas;

  private EventSchemaRegistry(Map<String, NavigableMap<Integer, JsonSchema>> schemas) {
    this.schemas = schemas;
  }

  /**
   * The registry of the schemas shipped in this jar. Loaded and compiled on first use, then shared.
   *
   * @throws IllegalStateException when a schema listed in the index is missing or unreadable (a
   *     packaging error, never caused by input)
   */
  public static EventSchemaRegistry loadDefault() {
    return Default.INSTANCE;
  }

  /** True when {@code type} has at least one schema. Null-safe. */
  public boolean isKnown(String type) {
    return type != null && schemas.containsKey(type);
  }

  /**
   * The newest schema version of a known type.
   *
   * @throws IllegalArgumentException when the type is not known
   */
  public int latestVersion(String type) {
    return versionsOf(type).lastKey();
  }

  /**
   * Validates a payload against the schema of {@code type} at {@code version}.
   *
   * <p>Returns an empty list when the payload is valid, otherwise one message per violation naming
   * the field with a {@code payload.} prefix, e.g. {@code payload.issueKey is required}, {@code
   * payload.value must be a string or number}, {@code payload.content must be at most 65536
   * characters}. A null or non-object payload gives the single message {@code payload must be a
   * JSON object}. Messages never quote the payload's values. Never throws for any payload, however
   * deep or large.
   *
   * @throws IllegalArgumentException when the type is not known or has no such version; both come
   *     from the caller's code, not from the payload (check {@link #isKnown} first)
   */
  public List<String> validate(String type, int version, JsonNode payload) {
    JsonSchema schema = versionsOf(type).get(version);
    if (schema == null) {
      throw new IllegalArgumentException(
          "event type "
              + type
              + " has no schema version "
              + version
              + "; known: "
              + schemas.get(type).keySet());
    }
    if (payload == null || !payload.isObject()) {
      return List.of(NOT_AN_OBJECT);
    }
    try {
      return describe(schema.validate(payload));
    } catch (RuntimeException | StackOverflowError e) {
      return List.of("payload could not be validated");
    }
  }

  private static List<String> describe(Iterable<ValidationMessage> violations) {
    List<String> messages = new ArrayList<>();
    for (ValidationMessage violation : violations) {
      String message = ViolationMessages.describe(violation);
      if (!messages.contains(message)) {
        messages.add(message);
      }
    }
    return Collections.unmodifiableList(messages);
  }

  private NavigableMap<Integer, JsonSchema> versionsOf(String type) {
    NavigableMap<Integer, JsonSchema> versions = type == null ? null : schemas.get(type);
    if (versions == null) {
      throw new IllegalArgumentException("unknown event type: " + type);
    }
    return versions;
  }

  /**
   * Loads the types listed in the index at {@code indexResource} (same format as {@code
   * schemas/index.json}); schemas are always read from {@code schemas/v<version>/<type>.json}.
   */
  static EventSchemaRegistry load(String indexResource) {
    JsonNode index = readResource(indexResource);
    JsonNode types = index.path("types");
    if (!types.isObject()) {
      throw new IllegalStateException(indexResource + " has no \"types\" object");
    }
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).failFast(false).build();
    Map<String, NavigableMap<Integer, JsonSchema>> loaded = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = types.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      NavigableMap<Integer, JsonSchema> versions = new TreeMap<>();
      for (JsonNode version : entry.getValue()) {
        if (!version.isInt() || version.intValue() < 1) {
          throw new IllegalStateException(
              indexResource + ": versions of " + entry.getKey() + " must be positive integers");
        }
        JsonSchema schema =
            factory.getSchema(readResource(schemaPath(entry.getKey(), version.intValue())), config);
        schema.initializeValidators();
        versions.put(version.intValue(), schema);
      }
      if (versions.isEmpty()) {
        throw new IllegalStateException(indexResource + ": " + entry.getKey() + " has no version");
      }
      loaded.put(entry.getKey(), Collections.unmodifiableNavigableMap(versions));
    }
    return new EventSchemaRegistry(Collections.unmodifiableMap(loaded));
  }

  /** The classpath resource holding the payload schema of {@code type} at {@code version}. */
  static String schemaPath(String type, int version) {
    return "schemas/v" + version + "/" + type + ".json";
  }

  private static JsonNode readResource(String path) {
    try (InputStream in = EventSchemaRegistry.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + path);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read classpath resource " + path, e);
    }
  }

  private static final class Default {
    static final EventSchemaRegistry INSTANCE = load(DEFAULT_INDEX);
  }
}
