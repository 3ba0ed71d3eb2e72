package dev.relay.engine.revocation;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RevocationStore} must do. Stores from {@link #openShared} are started and share
 * one store, as instances on one Redis do.
 */
public abstract class RevocationStoreContract {

  private static final Duration GRACE = Duration.ofSeconds(30);
  private final List<RevocationStore> opened = new ArrayList<>();

  protected abstract List<RevocationStore> openShared(int count, Duration grace);

  protected List<RevocationStore> stores(int count) {
    List<RevocationStore> stores = openShared(count, GRACE);
    opened.addAll(stores);
    return stores;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(RevocationStore::close);
  }

  protected static String jti() {
    return "jti-" + UUID.randomUUID();
  }

  @Test
  void theRevokingInstanceKnowsAtOnceAndAnotherWithinTwoSecondsAndTellsItsListenerOnce() {
    List<RevocationStore> stores = stores(2);
    List<String> heard = new CopyOnWriteArrayList<>();
    stores.get(1).addListener(heard::add);
    String jti = jti();

    assertThat(done(stores.get(0).revoke(jti, Instant.now().plusSeconds(300)))).isTrue();
    assertThat(stores.get(0).isRevoked(jti)).isTrue();
    done(stores.get(0).revoke(jti, Instant.now().plusSeconds(300)));

    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> stores.get(1).isRevoked(jti) && heard.contains(jti));
    await().during(Duration.ofMillis(300)).until(() -> heard.size() == 1);
    assertThat(stores.get(1).isRevoked(jti())).isFalse();
  }

  @Test
  void aTokenAlreadyPastItsExpiryAndGraceStoresNothing() {
    RevocationStore store = stores(1).get(0);
    String jti = jti();

    assertThat(done(store.revoke(jti, Instant.now().minus(GRACE).minusSeconds(5)))).isFalse();

    assertThat(store.isRevoked(jti)).isFalse();
  }

  @Test
  void aJustExpiredTokenStaysRevokedDuringTheGrace() {
    RevocationStore store = stores(1).get(0);
    String jti = jti();

    assertThat(done(store.revoke(jti, Instant.now().minusSeconds(5)))).isTrue();

    assertThat(store.isRevoked(jti)).isTrue();
  }

  @Test
  void aRevocationLapsesAfterExpiryPlusGrace() {
    List<RevocationStore> stores = openShared(1, Duration.ZERO);
    opened.addAll(stores);
    RevocationStore store = stores.get(0);
    String jti = jti();

    assertThat(done(store.revoke(jti, Instant.now().plusSeconds(2)))).isTrue();
    assertThat(store.isRevoked(jti)).isTrue();

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !store.isRevoked(jti));
  }
}
