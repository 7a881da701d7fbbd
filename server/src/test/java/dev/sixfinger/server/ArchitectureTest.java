package dev.sixfinger.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module direction of DESIGN.md: core at the bottom, server at the top, no framework below. */
class ArchitectureTest {
  private static final String[] FRAMEWORKS = {
    "io.dropwizard..", "org.glassfish.jersey..", "jakarta.ws.rs..", "org.eclipse.jetty.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sixfinger");
  }

  @Test
  void coreDependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage("dev.sixfinger.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.sixfinger.collector..", "dev.sixfinger.rules..", "dev.sixfinger.server..")
        .check(classes);
  }

  @Test
  void rulesAndCollectorAreIndependentOfEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.sixfinger.rules..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.sixfinger.collector..", "dev.sixfinger.server..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("dev.sixfinger.collector..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sixfinger.rules..")
        .check(classes);
  }

  @Test
  void collectorDoesNotDependOnTheServer() {
    noClasses()
        .that()
        .resideInAPackage("dev.sixfinger.collector..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sixfinger.server..")
        .check(classes);
  }

  @Test
  void domainModulesAreFreeOfFrameworkCode() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.sixfinger.core..", "dev.sixfinger.collector..", "dev.sixfinger.rules..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FRAMEWORKS)
        .check(classes);
  }

  @Test
  void importedTheModules() {
    org.assertj.core.api.Assertions.assertThat(classes.containPackage("dev.sixfinger.core.event"))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(
            classes.containPackage("dev.sixfinger.collector.ingest"))
        .isTrue();
  }
}
