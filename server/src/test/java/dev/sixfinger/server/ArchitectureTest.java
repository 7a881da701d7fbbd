package dev.sixfinger.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
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

  /** The domain modules: each depends on core only, never on another module nor the server. */
  private static final List<String> DOMAIN =
      List.of("collector", "rules", "indexer", "alerting", "scheduler");

  @Test
  void coreDependsOnNoOtherModule() {
    List<String> others = new java.util.ArrayList<>();
    DOMAIN.forEach(m -> others.add("dev.sixfinger." + m + ".."));
    others.add("dev.sixfinger.server..");
    noClasses()
        .that()
        .resideInAPackage("dev.sixfinger.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others.toArray(String[]::new))
        .check(classes);
  }

  @Test
  void domainModulesDependOnCoreOnly() {
    for (String module : DOMAIN) {
      List<String> others = new java.util.ArrayList<>();
      DOMAIN.stream()
          .filter(m -> !m.equals(module))
          .forEach(m -> others.add("dev.sixfinger." + m + ".."));
      others.add("dev.sixfinger.server..");
      noClasses()
          .that()
          .resideInAPackage("dev.sixfinger." + module + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(others.toArray(String[]::new))
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  @Test
  void domainModulesAreFreeOfFrameworkCode() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.sixfinger.core..",
            "dev.sixfinger.collector..",
            "dev.sixfinger.rules..",
            "dev.sixfinger.indexer..",
            "dev.sixfinger.alerting..",
            "dev.sixfinger.scheduler..")
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
