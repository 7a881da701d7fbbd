package dev.sixfinger.alerting;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md: alerting depends on core, Jackson and the mail API only; its packages form no cycle.
 */
class ModuleRulesTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sixfinger.alerting");

  @Test
  void dependsOnlyOnCoreJacksonAndMail() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.sixfinger.alerting..",
            "dev.sixfinger.core..",
            "com.fasterxml.jackson..",
            "org.yaml.snakeyaml..",
            "jakarta.mail..",
            "org.eclipse.angus.mail..")
        .check(CLASSES);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("dev.sixfinger.alerting.(*)..").should().beFreeOfCycles().check(CLASSES);
  }
}
