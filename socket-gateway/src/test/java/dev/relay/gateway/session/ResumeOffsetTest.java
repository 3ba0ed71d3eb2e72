package dev.relay.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.EventId;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ResumeOffsetTest {

  private static final EventId A = new EventId(1732326000000L, 0, "k3f9ab");
  private static final EventId B = new EventId(1732326000123L, 7, "q8w7e6");
  private static final EventId EMPTY = new EventId(0, 0, "z9y8x7");

  private static Map<String, EventId> positions(Object... roomsAndIds) {
    Map<String, EventId> byKey = new TreeMap<>();
    for (int i = 0; i < roomsAndIds.length; i += 2) {
      byKey.put(ResumeOffset.key((String) roomsAndIds[i]), (EventId) roomsAndIds[i + 1]);
    }
    return byKey;
  }

  @Test
  void encodesCompactlyAndDecodesEveryRoomsPosition() {
    String offset = ResumeOffset.encode(positions("team:1", A, "doc:42", B, "team:new", EMPTY));
    assertThat(offset).startsWith("m3ti68e3~").hasSizeLessThan(90);
    ResumeOffset decoded = ResumeOffset.decode(offset).orElseThrow();
    assertThat(decoded.size()).isEqualTo(3);
    assertThat(decoded.position("team:1")).isEqualTo(A);
    assertThat(decoded.position("doc:42")).isEqualTo(B);
    assertThat(decoded.position("team:new")).isEqualTo(EMPTY);
    assertThat(decoded.position("team:other")).isNull();
  }

  @Test
  void equalPositionsEncodeEqually() {
    assertThat(ResumeOffset.encode(positions("a:1", A, "b:2", B)))
        .isEqualTo(ResumeOffset.encode(positions("b:2", B, "a:1", A)));
    assertThat(ResumeOffset.one("team:1", A))
        .isEqualTo(ResumeOffset.encode(positions("team:1", A)));
  }

  @Test
  void keysAreShortAndStable() {
    assertThat(ResumeOffset.key("team:1"))
        .hasSizeBetween(1, 8)
        .isEqualTo(ResumeOffset.key("team:1"));
    assertThat(ResumeOffset.key("team:1")).isNotEqualTo(ResumeOffset.key("team:2"));
  }

  @Test
  void aKeyGivenTwiceGivesNoPositionForIt() {
    String key = ResumeOffset.key("team:1");
    ResumeOffset decoded =
        ResumeOffset.decode("m3ti68e3~" + key + ".0-0.k3f9ab~" + key + ".1-0.k3f9ab").orElseThrow();
    assertThat(decoded.position("team:1")).isNull();
  }

  @Test
  void refusesMalformedOffsetsAndTheOldPartitionedForm() {
    assertThat(ResumeOffset.decode("m3ti68e3~3f-0.k3f9ab~0-7.q8w7e6~_")).isEmpty();
    assertThat(ResumeOffset.decode("m3ti68e3~abc.zzzzzzzzzzzzz-0.k3f9ab")).isEmpty();
    assertThat(ResumeOffset.decode("~~~")).isEmpty();
    assertThat(ResumeOffset.decode("A~B~C~D")).isEmpty();
    assertThat(ResumeOffset.decode("x".repeat(5000))).isEmpty();
    assertThat(ResumeOffset.decode(null)).isEmpty();
    assertThat(ResumeOffset.decode("")).isEmpty();
    assertThat(ResumeOffset.decode("0").orElseThrow().size()).isZero();
  }

  @Property
  void decodeNeverThrows(@ForAll String offset) {
    ResumeOffset.decode(offset);
  }
}
