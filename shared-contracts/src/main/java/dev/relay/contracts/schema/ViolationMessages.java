package dev.relay.contracts.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns schema violations into the registry's stable messages: the field as a {@code payload.}
 * path, then what is wrong. Messages depend only on the schema and the path, never on the payload's
 * values, so they are safe to return to publishers and to log.
 */
final class ViolationMessages {

  private ViolationMessages() {}

  static String describe(ValidationMessage violation) {
    String path = path(violation.getInstanceLocation());
    String keyword = violation.getType();
    JsonNode schema = violation.getSchemaNode();
    switch (keyword) {
      case "required":
        return path + "." + violation.getProperty() + " is required";
      case "type":
        return path + " must be " + describeTypes(keywordValue(schema, "type"));
      case "minLength":
        long min = keywordValue(schema, "minLength").asLong();
        return min == 1
            ? path + " must not be empty"
            : path + " must be at least " + min + " characters";
      case "maxLength":
        return path
            + " must be at most "
            + keywordValue(schema, "maxLength").asLong()
            + " characters";
      case "const":
      case "enum":
        return path + " has a value that is not allowed";
      case "pattern":
        return path + " does not match the pattern " + keywordValue(schema, "pattern").asText();
      default:
        return path + " is invalid (" + keyword + ")";
    }
  }

  /** {@code payload} followed by {@code .name} per property and {@code [i]} per array index. */
  static String path(JsonNodePath location) {
    StringBuilder out = new StringBuilder("payload");
    for (int i = 0; location != null && i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer) {
        out.append('[').append(element).append(']');
      } else {
        out.append('.').append(element);
      }
    }
    return out.toString();
  }

  /** The keyword's value whether the library hands over the keyword value or its schema object. */
  private static JsonNode keywordValue(JsonNode schema, String keyword) {
    if (schema != null && schema.isObject() && schema.has(keyword)) {
      return schema.get(keyword);
    }
    return schema == null ? MissingNode.getInstance() : schema;
  }

  /** {@code a string}, {@code a string or number}: the article goes on the first type only. */
  private static String describeTypes(JsonNode types) {
    List<String> names = new ArrayList<>();
    if (types.isArray()) {
      types.forEach(t -> names.add(t.asText()));
    } else {
      names.add(types.asText());
    }
    names.set(0, article(names.get(0)));
    return String.join(" or ", names);
  }

  private static String article(String type) {
    return switch (type) {
      case "object", "array", "integer" -> "an " + type;
      case "null" -> "null";
      default -> "a " + type;
    };
  }
}
