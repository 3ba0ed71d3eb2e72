package dev.relay.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The gateway's core stays framework-free; Micronaut is confined to the server package. */
class ArchitectureTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.relay.gateway");

  @Test
  void coreDoesNotDependOnMicronaut() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "..gateway.hub..",
            "..gateway.session..",
            "..gateway.auth..",
            "..gateway.stream..",
            "..gateway.transport..",
            "..gateway.protocol..",
            "..gateway.netty..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micronaut..")
        .check(classes);
  }

  @Test
  void protocolsAndSessionsDoNotSeeNetty() {
    noClasses()
        .that()
        .resideInAnyPackage("..gateway.hub..", "..gateway.session..", "..gateway.protocol..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .check(classes);
  }
}
