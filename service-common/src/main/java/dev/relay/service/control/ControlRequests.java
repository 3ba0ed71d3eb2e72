package dev.relay.service.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contracts.RoomName;
import dev.relay.engine.control.ControlStore;
import dev.relay.engine.presence.PresenceStore;
import dev.relay.service.http.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one home of the input rules of server-side control (SPEC §11), shared by publish-api and the
 * gateway admin API: each method returns the checked value or throws a 400 {@link ProblemException}
 * naming the field.
 *
 * <ul>
 *   <li>{@code room}: a room name of SPEC §4. {@code sub}: 1 to {@value
 *       ControlStore#MAX_SUB_LENGTH} characters, no control characters.
 *   <li>{@code prefix}: "" (all rooms) or the start of a room name ({@code team}, {@code team:},
 *       {@code team:4}).
 *   <li>{@code limit}: an integer in range, or the default when absent.
 *   <li>{@code cursor}: opaque to clients; the base64url of the last room of the previous page.
 *   <li>{@code code}: 4000 to 4999, default {@value #DEFAULT_CLOSE_CODE} (forbidden) when the body
 *       or the field is absent.
 * </ul>
 */
public final class ControlRequests {

  public static final int DEFAULT_ROOMS_LIMIT = 100;
  public static final int MAX_ROOMS_LIMIT = PresenceStore.MAX_ROOMS_PAGE;
  public static final int DEFAULT_CLOSE_CODE = 4003;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ControlRequests() {}

  public static String room(String text) {
    return RoomName.parse(text)
        .orElseThrow(() -> ProblemException.invalid("room", "room must be <kind>:<id>"))
        .toString();
  }

  public static String sub(String text) {
    if (text == null
        || text.isEmpty()
        || text.length() > ControlStore.MAX_SUB_LENGTH
        || text.chars().anyMatch(Character::isISOControl)) {
      throw ProblemException.invalid(
          "sub",
          "sub must be 1 to "
              + ControlStore.MAX_SUB_LENGTH
              + " characters without control characters");
    }
    return text;
  }

  public static String prefix(String text) {
    if (text == null) {
      return "";
    }
    if (!RoomName.isValidPrefix(text)) {
      throw ProblemException.invalid(
          "prefix", "prefix must be the start of a room name, e.g. team: (empty for all rooms)");
    }
    return text;
  }

  /** An integer from 1 to {@code max} given as text; {@code fallback} when null. */
  public static int limit(String text, int fallback, int max) {
    String problem = "limit must be an integer from 1 to " + max;
    if (text == null) {
      return fallback;
    }
    if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ProblemException.invalid("limit", problem);
    }
    int value = Integer.parseInt(text);
    if (value < 1 || value > max) {
      throw ProblemException.invalid("limit", problem);
    }
    return value;
  }

  /** The room a cursor continues after, or null for the first page. */
  public static String cursor(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      if (text.length() > 2 * RoomName.MAX_LENGTH) {
        throw new IllegalArgumentException("too long");
      }
      String room = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      if (RoomName.isValid(room)) {
        return room;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw ProblemException.invalid("cursor", "cursor must be the next value of a previous page");
  }

  /** The cursor of the page after the one that ended with {@code room}. */
  public static String cursorAfter(String room) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(room.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code {"sub":U}}: the user to remove. */
  public static String subOfBody(String body) {
    JsonNode sub = object(body, true).get("sub");
    return sub(sub != null && sub.isTextual() ? sub.textValue() : null);
  }

  /** {@code {"code":N}}, the body or the field optional. */
  public static int codeOfBody(String body) {
    if (body == null || body.isBlank()) {
      return DEFAULT_CLOSE_CODE;
    }
    JsonNode code = object(body, false).get("code");
    if (code == null || code.isNull()) {
      return DEFAULT_CLOSE_CODE;
    }
    if (!code.canConvertToInt() || !code.isIntegralNumber()) {
      throw ProblemException.invalid("code", "code must be an integer from 4000 to 4999");
    }
    int value = code.intValue();
    if (value < 4000 || value > 4999) {
      throw ProblemException.invalid("code", "code must be an integer from 4000 to 4999");
    }
    return value;
  }

  private static JsonNode object(String body, boolean required) {
    if (body == null || body.isBlank()) {
      if (required) {
        throw ProblemException.invalid("body", "a JSON object body is required");
      }
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JsonProcessingException e) {
      // refused below
    }
    throw ProblemException.invalid("body", "the body must be a JSON object");
  }
}
