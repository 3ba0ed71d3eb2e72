package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisServerVersionTest {

  @Test
  void redis6IsRefusedWithTheVersionFound() {
    String info =
        "# Server\r\nredis_version:6.2.14\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\n";

    assertThat(RedisServerVersion.refusal(info))
        .contains("Relay needs Redis 7.0 or later for sharded Pub/Sub; this server is 6.2.14");
  }

  @Test
  void redis7AndLaterAreAccepted() {
    assertThat(RedisServerVersion.refusal("# Server\r\nredis_version:7.0.15\r\n")).isEmpty();
    assertThat(RedisServerVersion.refusal("redis_version:7.2.4\nredis_mode:cluster\n")).isEmpty();
    assertThat(RedisServerVersion.refusal("redis_version:10.0.0\n")).isEmpty();
  }

  @Test
  void aReplyWithoutAVersionIsRefused() {
    assertThat(RedisServerVersion.refusal("# Server\r\nsomething_else:1\r\n"))
        .hasValueSatisfying(message -> assertThat(message).contains("Redis 7.0 or later"));
  }
}
