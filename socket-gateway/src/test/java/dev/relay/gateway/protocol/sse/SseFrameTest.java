package dev.relay.gateway.protocol.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFrameTest {

  @Test
  void anEventIsItsResumePointAndItsEnvelopeOnOneDataLine() {
    assertThat(
            new String(
                SseConnection.frame("{\"v\":1}", "m3ti68e3~1k2j3h.0-0.k3f9ab"),
                StandardCharsets.UTF_8))
        .isEqualTo("id: m3ti68e3~1k2j3h.0-0.k3f9ab\ndata: {\"v\":1}\n\n");
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
