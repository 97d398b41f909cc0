package io.distcache.testkit;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.Objects.requireNonNull;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Checks that the packages of a module's main classes form no cycle (ArchUnit): each package may depend
 * on others only if none of them depends back on it, directly or through more packages. Needs
 * {@code com.tngtech.archunit:archunit} on the test class path.
 */
public final class PackageCycles {

  private PackageCycles() {
  }

  /**
   * Fails if any two packages under {@code root} (itself included) depend on each other.
   *
   * @param root a module's root package, such as {@code io.distcache.jcache}
   * @throws AssertionError naming every cycle and the class dependencies that make it
   */
  public static void assertNone(String root) {
    requireNonNull(root, "root");
    int lastDot = root.lastIndexOf('.');
    if (lastDot < 0) {
      throw new IllegalArgumentException("root " + root + " has no parent package");
    }
    JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(root);
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("no main classes under " + root + " on the class path");
    }
    // one slice per package: the parent's prefix, then the rest of the package name
    slices().matching(root.substring(0, lastDot + 1) + "(**)").should().beFreeOfCycles().check(classes);
  }
}
