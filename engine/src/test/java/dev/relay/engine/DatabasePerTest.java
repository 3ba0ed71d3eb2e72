package dev.relay.engine;

import dev.relay.engine.redis.RedisConnections;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One database of the shared test Redis ({@link RedisTestDatabase}) as a JUnit extension, for a
 * contract run on one Redis: connected before the class, emptied before each test, the connections
 * a test opened closed after it. Register it as {@code @RegisterExtension static final
 * DatabasePerTest redis = new DatabasePerTest(<database>);}.
 */
public final class DatabasePerTest
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final int database;
  private RedisTestDatabase redis;

  public DatabasePerTest(int database) {
    this.database = database;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = new RedisTestDatabase(database);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    redis.flush();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    redis.closeConnections();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    redis.close();
  }

  /** New connections for one simulated instance, closed after the test. */
  public RedisConnections connections() {
    return redis.connections();
  }

  /** A synchronous connection to the database for looking at keys directly. */
  public StatefulRedisConnection<String, String> admin() {
    return redis.admin();
  }
}
