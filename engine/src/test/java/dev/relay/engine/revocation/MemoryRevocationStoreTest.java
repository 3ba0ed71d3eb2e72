package dev.relay.engine.revocation;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

class MemoryRevocationStoreTest extends RevocationStoreContract {

  @Override
  protected List<RevocationStore> openShared(int count, Duration grace) {
    return Collections.nCopies(count, new MemoryRevocationStore(grace));
  }
}
