package dev.relay.contracts.redis;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The partition function, pinned by golden values (crc32 of the UTF-8 room name, mod 16) that other
 * languages can check their implementation against; also listed in docs/contracts.md.
 */
class RedisKeyLayoutTest {

  private static final RedisKeyLayout DEFAULT =
      new RedisKeyLayout(RedisKeyLayout.DEFAULT_PARTITIONS);

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
  void partitionsMatchTheGoldenValues(String room, long crc32, int partition) {
    assertThat(crc32 % 16).isEqualTo(partition);
    assertThat(DEFAULT.partitionOf(room)).isEqualTo(partition);
    assertThat(DEFAULT.streamKey(partition)).isEqualTo("relay:{p" + partition + "}:events");
  }

  @Property
  void partitionIsInRangeAndStable(
      @ForAll String room, @ForAll @IntRange(min = 1, max = 1024) int partitions) {
    RedisKeyLayout layout = new RedisKeyLayout(partitions);
    int partition = layout.partitionOf(room);
    assertThat(partition).isBetween(0, partitions - 1);
    assertThat(new RedisKeyLayout(partitions).partitionOf(room)).isEqualTo(partition);
  }

  @Property
  void idempotencyKeysShareTheRoomsSlot(@ForAll String room, @ForAll String nonce) {
    String tag = "relay:{p" + DEFAULT.partitionOf(room) + "}";
    assertThat(DEFAULT.idempotencyKey(room, nonce)).startsWith(tag + ":nonce:");
  }
}
