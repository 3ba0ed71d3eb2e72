package dev.relay.engine.ratelimit;

import java.util.Collections;
import java.util.List;

class MemoryRateLimiterTest extends RateLimiterContract {

  @Override
  protected List<RateLimiter> openShared(int count) {
    return Collections.nCopies(count, new MemoryRateLimiter());
  }
}
