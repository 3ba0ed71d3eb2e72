package dev.relay.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookSelectionTest {

  @Test
  void theDefaultSendsClientEventsOnly() {
    WebhookSelection s = WebhookSelection.parse(WebhookSelection.DEFAULT);
    assertThat(s.client("message.created")).isTrue();
    assertThat(s.matches("room.occupied")).isFalse();
    assertThat(s.matches("presence.joined")).isFalse();
  }

  @Test
  void patternsMatchExactTypesPrefixesAndEverything() {
    WebhookSelection s = WebhookSelection.parse(" room.occupied , presence.* ");
    assertThat(s.matches("room.occupied")).isTrue();
    assertThat(s.matches("room.vacated")).isFalse();
    assertThat(s.matches("presence.left")).isTrue();
    assertThat(s.matches("presenceX.left")).isFalse();
    assertThat(s.client("message.created")).isFalse();

    assertThat(WebhookSelection.parse("message.*").client("message.created")).isTrue();
    WebhookSelection all = WebhookSelection.parse("*");
    assertThat(all.matches("room.vacated")).isTrue();
    assertThat(all.client("vote.cast")).isTrue();
    assertThat(WebhookSelection.parse("client,room.*")).hasToString("client,room.*");
  }

  @Test
  void malformedHostileAndOversizedListsAreRefusedByName() {
    for (String bad :
        new String[] {"room.**", "*.joined", "room*", "a b", "room.", ".x", "cli ent"}) {
      assertThatThrownBy(() -> WebhookSelection.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad.strip() + "'");
    }
    assertThatThrownBy(() -> WebhookSelection.parse(" , ,")).hasMessageContaining("empty");
    assertThatThrownBy(() -> WebhookSelection.parse("x".repeat(100_000))).hasMessageContaining("…");
    assertThatThrownBy(() -> WebhookSelection.parse("a.*,".repeat(65)))
        .hasMessageContaining("more than 64");
  }
}
