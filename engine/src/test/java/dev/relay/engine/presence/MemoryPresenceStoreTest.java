package dev.relay.engine.presence;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

/** The contract on one in-memory store; "two instances" share the same object, as in dev mode. */
class MemoryPresenceStoreTest extends PresenceStoreContract {

  @Override
  protected List<PresenceStore> openShared(int count, Duration instanceTtl) {
    return Collections.nCopies(count, new MemoryPresenceStore(instanceTtl));
  }
}
