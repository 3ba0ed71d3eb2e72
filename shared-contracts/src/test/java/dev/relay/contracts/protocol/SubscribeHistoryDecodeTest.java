package dev.relay.contracts.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contracts.protocol.ClientMessage.Subscribe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code subscribe}'s {@code history} (SPEC §11): a JSON integer from 1 to 100, or absent. */
class SubscribeHistoryDecodeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ClientMessage decode(String history) throws Exception {
    JsonNode fields = JSON.readTree("{\"room\":\"team:1\",\"history\":" + history + "}");
    return ClientMessageDecoder.decode("subscribe", fields, "r1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "50", "100"})
  void acceptsOneToAHundred(String history) throws Exception {
    assertThat(((Subscribe) decode(history)).history()).isEqualTo(Integer.parseInt(history));
  }

  @ParameterizedTest
  @ValueSource(strings = {"null"})
  void absentOrNullIsNoHistory(String history) throws Exception {
    assertThat(((Subscribe) decode(history)).history()).isNull();
    JsonNode fields = JSON.readTree("{\"teamId\":\"1\"}");
    assertThat(((Subscribe) ClientMessageDecoder.decode("subscribe", fields, null)).history())
        .isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "-1",
        "101",
        "2147483648",
        "99999999999999999999999",
        "2.5",
        "1.0",
        "1e2",
        "\"5\"",
        "true",
        "[5]",
        "{}"
      })
  void refusesEverythingElseAsInvalidMessage(String history) {
    assertThatThrownBy(() -> decode(history))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("history");
  }
}
