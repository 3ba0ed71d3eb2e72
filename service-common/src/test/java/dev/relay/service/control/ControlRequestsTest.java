package dev.relay.service.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.service.http.ProblemException;
import org.junit.jupiter.api.Test;

/** The input rules of server-side control: each refusal is a 400 naming its field. */
class ControlRequestsTest {

  private static void refused(Runnable call, String field) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.field()).isEqualTo(field);
            });
  }

  @Test
  void prefixesAreStartsOfRoomNames() {
    assertThat(ControlRequests.prefix(null)).isEmpty();
    for (String ok : new String[] {"", "t", "team", "team:", "team:4", "a-b_c:X.y~z@1"}) {
      assertThat(ControlRequests.prefix(ok)).isEqualTo(ok);
    }
    for (String bad :
        new String[] {":x", "Team", "1team", "team:a:b", "team:a b", "x".repeat(162)}) {
      refused(() -> ControlRequests.prefix(bad), "prefix");
    }
  }

  @Test
  void aCursorRoundTripsAndAForgedOneIsRefused() {
    String cursor = ControlRequests.cursorAfter("team:42");
    assertThat(ControlRequests.cursor(cursor)).isEqualTo("team:42");
    assertThat(ControlRequests.cursor(null)).isNull();
    for (String bad : new String[] {"!!", "Zm9yZ2Vk", "x".repeat(400), "dGVhbTo"}) {
      refused(() -> ControlRequests.cursor(bad), "cursor");
    }
  }

  @Test
  void limitsSubsAndCodes() {
    assertThat(ControlRequests.limit(null, 100, 1000)).isEqualTo(100);
    assertThat(ControlRequests.limit("1000", 100, 1000)).isEqualTo(1000);
    for (String bad : new String[] {"0", "1001", "-1", "", "1e3", "99999"}) {
      refused(() -> ControlRequests.limit(bad, 100, 1000), "limit");
    }
    assertThat(ControlRequests.subOfBody("{\"sub\":\"acct 7\"}")).isEqualTo("acct 7");
    refused(() -> ControlRequests.subOfBody("{\"sub\":\"a\\nb\"}"), "sub");
    refused(() -> ControlRequests.subOfBody(null), "body");
    refused(() -> ControlRequests.subOfBody("[]"), "body");
    assertThat(ControlRequests.codeOfBody(null)).isEqualTo(4003);
    assertThat(ControlRequests.codeOfBody("{}")).isEqualTo(4003);
    assertThat(ControlRequests.codeOfBody("{\"code\":4999}")).isEqualTo(4999);
    for (String bad : new String[] {"{\"code\":3999}", "{\"code\":1e9}", "{\"code\":true}"}) {
      refused(() -> ControlRequests.codeOfBody(bad), "code");
    }
  }
}
