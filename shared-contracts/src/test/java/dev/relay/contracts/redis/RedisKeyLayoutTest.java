package dev.relay.contracts.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The key layout every service and every other-language client must agree on: a room's keys and
 * channel carry the tag {@code {<room>}}, and presence shards are pinned by golden values (crc32 of
 * the UTF-8 room name, mod 16), also listed in docs/contracts.md.
 */
class RedisKeyLayoutTest {

  @Test
  void aRoomsKeysAndChannelShareItsTag() {
    assertThat(RedisKeyLayout.roomStream("team:42")).isEqualTo("relay:{team:42}:s");
    assertThat(RedisKeyLayout.roomMeta("team:42")).isEqualTo("relay:{team:42}:m");
    assertThat(RedisKeyLayout.roomNonce("team:42", "n-1")).isEqualTo("relay:{team:42}:n:n-1");
    assertThat(RedisKeyLayout.roomChannel("team:42")).isEqualTo("relay:{team:42}:live");
  }

  @ParameterizedTest
  @CsvSource({
    "session:abc-123, 2223102533, 5",
    "session:demo, 1105274807, 7",
    "team:42, 3933013693, 13",
    "task:1, 3428599161, 9",
    "conversation:7, 2172399199, 15",
    "user:acct-123, 2452094727, 7",
    "session:SCRUM-1, 1006133102, 14",
    "a:b, 809608712, 8"
  })
  void presenceShardsMatchTheGoldenValues(String room, long crc32, int shard) {
    assertThat(crc32 % 16).isEqualTo(shard);
    assertThat(RedisKeyLayout.presenceShardOf(room)).isEqualTo(shard);
  }

  @Property
  void theRoomOfEveryKeyIsFoundAgain(
      @ForAll @AlphaChars @StringLength(min = 1, max = 20) String kind,
      @ForAll @AlphaChars @StringLength(min = 1, max = 40) String id,
      @ForAll String nonce) {
    String room = kind.toLowerCase(Locale.ROOT) + ":" + id;
    assertThat(RedisKeyLayout.roomOf(RedisKeyLayout.roomStream(room))).isEqualTo(room);
    assertThat(RedisKeyLayout.roomOf(RedisKeyLayout.roomNonce(room, nonce))).isEqualTo(room);
    assertThat(RedisKeyLayout.roomOf(RedisKeyLayout.roomChannel(room))).isEqualTo(room);
    assertThat(RedisKeyLayout.presenceShardOf(room)).isBetween(0, 15);
  }

  @Test
  void keysOfOtherKindsHaveNoRoom() {
    assertThat(RedisKeyLayout.roomOf("relay:revoked")).isNull();
    assertThat(RedisKeyLayout.roomOf("other:{team:1}:s")).isNull();
  }
}
