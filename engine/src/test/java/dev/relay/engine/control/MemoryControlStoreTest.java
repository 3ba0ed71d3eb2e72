package dev.relay.engine.control;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

class MemoryControlStoreTest extends ControlStoreContract {

  @Override
  protected List<ControlStore> openShared(int count, Duration removalKeep) {
    return Collections.nCopies(count, new MemoryControlStore(removalKeep));
  }
}
