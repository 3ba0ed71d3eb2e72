package dev.relay.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.EnvelopeCodec;
import dev.relay.engine.EventDraft;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LegacyEntryTest {

  private static final Instant ISSUED = Instant.parse("2024-05-01T10:00:00Z");
  private static final Instant PUBLISHED = Instant.parse("2024-05-01T10:00:01.123Z");
  private static final String PAYLOAD = "{\"n\":1.10,\"s\":\"\\u00e9\",\"a\":[1e3,{}]}";

  private static Map<String, String> body(String nonce, String actor) {
    Map<String, String> body = new HashMap<>();
    body.put("ep", "k3f9ab");
    body.put("r", "room-1");
    body.put("t", "chat.message");
    body.put("x", "0");
    body.put(
        "e",
        EnvelopeCodec.encodeWithoutId(
            "room-1", "chat.message", PAYLOAD, ISSUED, PUBLISHED, nonce, actor));
    return body;
  }

  @Test
  void keepsTheEventAndItsOwnNonce() {
    Map<String, String> body = body("n-7", "user-1");
    body.put("tp", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    LegacyEntry entry = LegacyEntry.parse("1732326000000-4", body);

    assertThat(LegacyEntry.isMirrored(body)).isFalse();
    assertThat(entry.id().toString()).isEqualTo("1732326000000-4.k3f9ab");
    assertThat(entry.draft())
        .isEqualTo(
            new EventDraft(
                "room-1",
                "chat.message",
                PAYLOAD,
                "n-7",
                ISSUED,
                "user-1",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
  }

  @Test
  void anEventWithoutNonceGetsOneFromItsOldId() {
    LegacyEntry entry = LegacyEntry.parse("1732326000000-4", body(null, null));

    assertThat(entry.draft().nonce()).isEqualTo("legacy-1732326000000-4.k3f9ab");
    assertThat(entry.draft().actor()).isNull();
    assertThat(entry.draft().traceparent()).isNull();
  }

  @Test
  void thePayloadIsCopiedByteForByte() {
    // Re-encoding through a tree would turn 1.10 into 1.1 and 1e3 into 1000.0.
    assertThat(LegacyEntry.rawPayload(body(null, null).get("e"))).isEqualTo(PAYLOAD);
  }

  @Test
  void recognisesWhatTheMirrorWrote() {
    Map<String, String> body = body("n-7", null);
    body.put("src", "rooms");

    assertThat(LegacyEntry.isMirrored(body)).isTrue();
  }

  @Test
  void refusesEntriesTheOldReleaseCouldNotHaveWritten() {
    Map<String, String> noEpoch = body(null, null);
    noEpoch.remove("ep");
    Map<String, String> badEnvelope = body(null, null);
    badEnvelope.put("e", "\"room\":");
    Map<String, String> otherRoom = body(null, null);
    otherRoom.put("r", "room-2");

    assertThat(LegacyEntry.parse("1-0", noEpoch)).isNull();
    assertThat(LegacyEntry.parse("1-0", badEnvelope)).isNull();
    assertThat(LegacyEntry.parse("1-0", otherRoom)).isNull();
  }
}
