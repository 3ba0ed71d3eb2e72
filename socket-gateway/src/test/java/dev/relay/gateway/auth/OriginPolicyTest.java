package dev.relay.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

  @Test
  void exactAndAnyPortEntries() {
    OriginPolicy policy =
        new OriginPolicy(List.of("https://app.example.com", "http://localhost:*"));
    assertThat(policy.allows("https://app.example.com")).isTrue();
    assertThat(policy.allows("HTTPS://APP.EXAMPLE.COM")).isTrue();
    assertThat(policy.allows("https://app.example.com.evil.io")).isFalse();
    assertThat(policy.allows("http://localhost:5173")).isTrue();
    assertThat(policy.allows("http://localhost")).isTrue();
    assertThat(policy.allows("http://localhost:80x")).isFalse();
    assertThat(policy.allows("http://localhost.evil.io:80")).isFalse();
    assertThat(policy.allows("https://evil.io")).isFalse();
  }

  @Test
  void emptyListRefusesEveryBrowserButNotNonBrowserClients() {
    OriginPolicy policy = new OriginPolicy(List.of());
    assertThat(policy.allows("https://app.example.com")).isFalse();
    assertThat(policy.allows(null)).isTrue();
  }
}
