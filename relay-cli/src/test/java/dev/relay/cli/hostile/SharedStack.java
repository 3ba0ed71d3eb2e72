package dev.relay.cli.hostile;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands one {@link HostileStack} to every test class that declares a {@code HostileStack} parameter
 * on its {@code @BeforeAll} method: started by the first class that asks, closed when the whole
 * test run ends. Attacks that change the stack for good (SIGTERM, an exhausted per-IP bucket) start
 * their own instead.
 *
 * <p>Sharing is safe because every test measures against its own baseline (memory, counters, log
 * mark), uses its own rooms and {@code sub}s, and the suite stays far below the per-IP limits.
 */
final class SharedStack implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedStack.class);

  /** Closes the stack when JUnit closes the root store, after the last test class. */
  private record Holder(HostileStack stack) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      stack.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == HostileStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            Holder.class, key -> new Holder(HostileStack.start("shared")), Holder.class)
        .stack();
  }
}
