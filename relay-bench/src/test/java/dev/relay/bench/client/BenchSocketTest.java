package dev.relay.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchSocketTest {

  @Test
  void parsesTheSequenceAfterTheNonceMarker() {
    String frame =
        "42[\"event\",{\"v\":1,\"nonce\":\"bab12-12345\",\"payload\":{\"seq\":12345}},\"1-0\"]";
    int at = frame.indexOf("\"nonce\":\"bab12-") + "\"nonce\":\"bab12-".length();
    assertThat(BenchSocket.parseSeq(frame, at)).isEqualTo(12345);
    assertThat(BenchSocket.parseSeq("x\"", 0)).isEqualTo(-1);
  }
}
