package dev.relay.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rules over every Relay module's main code (this module sees them all: publish-api, the gateway,
 * the engine, the shared service code, the CLI).
 */
class TimersArchitectureTest {

  private static final JavaClasses RELAY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.relay");

  /**
   * {@code CompletableFuture.delayedExecutor} keeps every task until its delay ends and, on a
   * 2-core machine (where the common pool has no worker to spare), runs each on a new thread:
   * timers go on a scheduler of their own that cancels them (#17).
   */
  @Test
  void noTimerStartsAThreadPerTask() {
    noClasses()
        .should()
        .callMethod(CompletableFuture.class, "delayedExecutor", long.class, TimeUnit.class)
        .check(RELAY);
  }

  /** The import reaches every module, so the rule above is not vacuous. */
  @Test
  void theRuleSeesEveryModule() {
    for (String pkg :
        new String[] {
          "dev.relay.publish", "dev.relay.gateway", "dev.relay.engine", "dev.relay.service"
        }) {
      if (RELAY.stream().noneMatch(c -> c.getPackageName().startsWith(pkg))) {
        throw new AssertionError("no classes imported from " + pkg);
      }
    }
  }
}
