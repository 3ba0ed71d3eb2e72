package dev.relay.engine.session;

import java.util.Collections;
import java.util.List;

class MemorySessionStoreTest extends SessionStoreContract {

  @Override
  protected List<SessionStore> openShared(int count) {
    return Collections.nCopies(count, new MemorySessionStore());
  }
}
