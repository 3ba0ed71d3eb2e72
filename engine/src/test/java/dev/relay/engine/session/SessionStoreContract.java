package dev.relay.engine.session;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link SessionStore} must do; two stores from {@link #openShared} share one store. */
public abstract class SessionStoreContract {

  private static final Duration WINDOW = Duration.ofMinutes(2);
  private final List<SessionStore> opened = new ArrayList<>();

  protected abstract List<SessionStore> openShared(int count);

  private List<SessionStore> stores(int count) {
    List<SessionStore> stores = openShared(count);
    opened.addAll(stores);
    return stores;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(SessionStore::close);
  }

  @Test
  void aSavedSessionLoadsOnAnotherInstance() {
    List<SessionStore> stores = stores(2);
    done(stores.get(0).save("pid-1", "alice", List.of("session:abc", "team:42"), WINDOW));

    assertThat(done(stores.get(1).load("pid-1")))
        .contains(new SavedSession("alice", List.of("session:abc", "team:42")));
  }

  @Test
  void anyCharacterInSubAndNoRoomsRoundTrip() {
    SessionStore store = stores(1).get(0);
    done(store.save("pid-1", "a:b\n12:c", List.of(), WINDOW));
    done(store.save("pid-2", "", List.of("", "team:1"), WINDOW));

    assertThat(done(store.load("pid-1"))).contains(new SavedSession("a:b\n12:c", List.of()));
    assertThat(done(store.load("pid-2"))).contains(new SavedSession("", List.of("", "team:1")));
  }

  @Test
  void unknownAndDeletedSessionsAreEmpty() {
    SessionStore store = stores(1).get(0);
    assertThat(done(store.load("nobody"))).isEmpty();
    done(store.save("pid-1", "alice", List.of("team:1"), WINDOW));
    done(store.delete("pid-1"));
    done(store.delete("pid-1"));
    assertThat(done(store.load("pid-1"))).isEmpty();
  }

  @Test
  void savingAgainReplacesTheSession() {
    SessionStore store = stores(1).get(0);
    done(store.save("pid-1", "alice", List.of("team:1"), WINDOW));
    done(store.save("pid-1", "alice", List.of("team:1", "task:9"), WINDOW));
    assertThat(done(store.load("pid-1")).map(SavedSession::rooms))
        .contains(List.of("team:1", "task:9"));
  }

  @Test
  void aSessionIsGoneAfterItsTtl() {
    SessionStore store = stores(1).get(0);
    done(store.save("pid-short", "alice", List.of("team:1"), Duration.ofMillis(300)));
    done(store.save("pid-long", "bob", List.of("team:1"), WINDOW));

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> done(store.load("pid-short")), Optional::isEmpty);
    assertThat(done(store.load("pid-long"))).isPresent();
  }

  @Test
  void badArgumentsAreRefused() {
    SessionStore store = stores(1).get(0);
    assertThatThrownBy(() -> store.save("p", "alice", List.of("a\nb"), WINDOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.save("p", "alice", List.of(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
