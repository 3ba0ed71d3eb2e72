package dev.relay.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link RoomName#parse} accepts exactly the SPEC §4 grammar and never throws. */
class RoomNamePropertyTest {

  private static final Pattern REFERENCE =
      Pattern.compile("[a-z][a-z0-9_-]{0,31}:[A-Za-z0-9._~@-]{1,128}");

  @Property
  void validNamesParseAndRoundTrip(@ForAll("kinds") String kind, @ForAll("ids") String id) {
    String text = kind + ":" + id;
    Optional<RoomName> parsed = RoomName.parse(text);
    assertThat(parsed).contains(new RoomName(kind, id));
    assertThat(parsed.orElseThrow().toString()).isEqualTo(text);
  }

  @Property
  void anyTextParsesExactlyWhenItMatchesTheGrammar(@ForAll String text) {
    assertThat(RoomName.parse(text).isPresent()).isEqualTo(REFERENCE.matcher(text).matches());
  }

  @Property
  void nearMissesParseExactlyWhenTheyMatchTheGrammar(@ForAll("nearMisses") String text) {
    assertThat(RoomName.parse(text).isPresent()).isEqualTo(REFERENCE.matcher(text).matches());
  }

  @Provide
  Arbitrary<String> kinds() {
    Arbitrary<String> first = Arbitraries.strings().withCharRange('a', 'z').ofLength(1);
    Arbitrary<String> rest =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('0', '9')
            .withChars('_', '-')
            .ofMaxLength(31);
    return Combinators.combine(first, rest).as(String::concat);
  }

  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.strings()
        .withCharRange('A', 'Z')
        .withCharRange('a', 'z')
        .withCharRange('0', '9')
        .withChars('.', '_', '~', '@', '-')
        .ofMinLength(1)
        .ofMaxLength(128);
  }

  /** Strings over the grammar's alphabet plus a few outsiders, around the length limits. */
  @Provide
  Arbitrary<String> nearMisses() {
    Arbitrary<String> valid = Combinators.combine(kinds(), ids()).as((k, i) -> k + ":" + i);
    Arbitrary<String> alphabet =
        Arbitraries.strings()
            .withCharRange('a', 'c')
            .withCharRange('X', 'Z')
            .withChars('0', '9', '_', '-', '.', '~', '@', ':', ' ', '/', 'é', '\n')
            .ofMaxLength(170);
    Arbitrary<String> mutated =
        Combinators.combine(valid, Arbitraries.integers().between(0, 200), alphabet)
            .as(
                (v, at, insert) -> {
                  int cut = Math.min(at, v.length());
                  return v.substring(0, cut)
                      + insert.substring(0, Math.min(2, insert.length()))
                      + v.substring(cut);
                });
    return Arbitraries.oneOf(valid, alphabet, mutated);
  }
}
