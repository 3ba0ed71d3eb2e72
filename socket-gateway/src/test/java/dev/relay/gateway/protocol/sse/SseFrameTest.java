package dev.relay.gateway.protocol.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.gateway.hub.StreamVector;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFrameTest {

  private static final StreamVector V =
      StreamVector.of(
          new String[] {"1732326000000-0", "1732326000123-7", "0-0"},
          new String[] {"k3f9ab", "q8w7e6", null});

  @Test
  void anEventIsItsResumePointAndItsEnvelopeOnOneDataLine() {
    assertThat(new String(SseConnection.frame("{\"v\":1}", V), StandardCharsets.UTF_8))
        .isEqualTo("id: m3ti68e3~3f-0.k3f9ab~0-7.q8w7e6~_\ndata: {\"v\":1}\n\n");
    assertThat(new String(SseConnection.frame("{\"v\":1}", null), StandardCharsets.UTF_8))
        .isEqualTo("data: {\"v\":1}\n\n");
  }

  @Test
  void noticesAreNamedEvents() {
    assertThat(SseReplies.INSTANCE.left("team:1", "revoked"))
        .isEqualTo("event: unsubscribed\ndata: {\"room\":\"team:1\",\"reason\":\"revoked\"}\n\n");
    assertThat(SseReplies.INSTANCE.error("token_expired", "x", null))
        .isEqualTo("event: error\ndata: {\"code\":\"token_expired\"}\n\n");
    assertThat(SseReplies.INSTANCE.published("id", "1")).isNull();
  }
}
