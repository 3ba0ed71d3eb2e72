package dev.relay.publish.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.engine.EventDraft;
import dev.relay.service.http.ProblemException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** Whatever the input, the parser answers a draft or a ProblemException, nothing else. */
class EventParserPropertiesTest {

  private final EventParser parser = new EventParser(EventSchemas.none(), 2048, false);

  @Property(tries = 500)
  void arbitraryBytesNeverEscapeAsOtherExceptions(@ForAll byte[] body) {
    assertOnlyProblems(body);
  }

  @Property(tries = 500)
  void arbitraryFieldValuesNeverEscape(
      @ForAll @StringLength(max = 200) String sessionId,
      @ForAll @StringLength(max = 80) String event,
      @ForAll @StringLength(max = 200) String nonce) {
    String json =
        "{\"sessionId\":"
            + quote(sessionId)
            + ",\"event\":"
            + quote(event)
            + ",\"nonce\":"
            + quote(nonce)
            + ",\"payload\":{\"v\":"
            + quote(nonce)
            + "}}";
    EventDraft draft = assertOnlyProblems(json.getBytes(StandardCharsets.UTF_8));
    if (draft != null) {
      assertThat(draft.room()).isEqualTo("session:" + sessionId);
      assertThat(draft.nonce()).isEqualTo(nonce);
    }
  }

  private EventDraft assertOnlyProblems(byte[] body) {
    try {
      JsonNode node = parser.readObject(body);
      return parser.parse(node, null, null);
    } catch (ProblemException e) {
      assertThat(e.status()).isIn(400, 413);
      assertThat(e.field()).isNotBlank();
      return null;
    }
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
