package dev.relay.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The gateway's core stays framework-free (SPEC internals): Micronaut is confined to the server
 * package and Netty to the netty package; the session and hub know no protocol; packages form no
 * cycle, so the seam codec → dispatcher → session → outbound runs one way.
 */
class ArchitectureTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.relay.gateway");

  /** Every core package but {@code netty}, the one adapter allowed to see Netty. */
  private static final String[] NETTY_FREE_CORE = {
    "..gateway.hub..",
    "..gateway.session..",
    "..gateway.auth..",
    "..gateway.stream..",
    "..gateway.transport..",
    "..gateway.protocol..",
    "..gateway.webhook.."
  };

  @Test
  void coreDoesNotDependOnMicronaut() {
    noClasses()
        .that()
        .resideInAnyPackage(NETTY_FREE_CORE)
        .or()
        .resideInAPackage("..gateway.netty..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micronaut..")
        .check(classes);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.relay.gateway.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void sessionAndHubDoNotKnowTheProtocols() {
    noClasses()
        .that()
        .resideInAnyPackage("..gateway.hub..", "..gateway.session..", "..gateway.auth..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..gateway.protocol..", "..gateway.netty..", "..gateway.server..")
        .check(classes);
  }

  @Test
  void onlyTheServerWiresTheFramework() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..gateway.server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..gateway.server..")
        .check(classes);
  }

  @Test
  void protocolsAndSessionsDoNotSeeNetty() {
    noClasses()
        .that()
        .resideInAnyPackage(NETTY_FREE_CORE)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .check(classes);
  }
}
