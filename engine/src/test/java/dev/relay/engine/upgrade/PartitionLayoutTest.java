package dev.relay.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartitionLayoutTest {

  private final PartitionLayout layout = new PartitionLayout(16);

  @Test
  void partitionIsCrc32OfTheRoomModP() {
    // Computed outside Java: Python's zlib.crc32(b"room-1") = 0xbef40806, zlib.crc32(b"lobby") =
    // 3437516279 (an unsigned value above 2^31, which a signed int would get wrong).
    assertThat(layout.partitionOf("room-1")).isEqualTo((int) (0xbef40806L % 16));
    assertThat(new PartitionLayout(7).partitionOf("lobby")).isEqualTo((int) (3437516279L % 7));
  }

  @Test
  void keysAreTheOldReleasesNames() {
    int p = layout.partitionOf("room-1");
    assertThat(layout.streamKey(3)).isEqualTo("relay:{p3}:events");
    assertThat(layout.epochKey(3)).isEqualTo("relay:{p3}:epoch");
    assertThat(layout.nonceKey("room-1", "n1")).isEqualTo("relay:{p" + p + "}:nonce:room-1:n1");
    assertThat(layout.bridgedKey(3)).isEqualTo("relay:{p3}:bridged");
  }

  @Test
  void refusesPartitionCountsTheOldReleaseRefused() {
    assertThatThrownBy(() -> new PartitionLayout(0))
        .hasMessageContaining("RELAY_UPGRADE_PARTITIONS");
    assertThatThrownBy(() -> new PartitionLayout(1025))
        .hasMessageContaining("RELAY_UPGRADE_PARTITIONS");
  }
}
