package dev.relay.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** {@link EventId}'s text form round-trips and parsing never throws. */
class EventIdPropertyTest {

  @Property
  void formatThenParseIsTheIdentity(
      @ForAll @LongRange(min = 0) long millis,
      @ForAll @LongRange(min = 0) long sequence,
      @ForAll("epochs") String epoch) {
    EventId id = new EventId(millis, sequence, epoch);
    assertThat(EventId.parse(id.toString())).contains(id);
  }

  @Property
  void parsingAnyTextNeverThrowsAndIsCanonicalOnceParsed(@ForAll("idLikeText") String text) {
    Optional<EventId> parsed = EventId.parse(text);
    parsed.ifPresent(id -> assertThat(EventId.parse(id.toString())).contains(id));
  }

  @Property
  void parsingRandomUnicodeNeverThrows(@ForAll String text) {
    assertThat(EventId.parse(text)).isNotNull();
  }

  @Provide
  Arbitrary<String> epochs() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('0', '9')
        .ofMinLength(1)
        .ofMaxLength(16);
  }

  @Provide
  Arbitrary<String> idLikeText() {
    return Arbitraries.strings().withChars("0123456789-.az9Z ").ofMaxLength(70);
  }
}
