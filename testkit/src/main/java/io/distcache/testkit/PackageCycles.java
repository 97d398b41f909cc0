package io.distcache.testkit;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.Objects.requireNonNull;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * Checks that a module's main classes form no dependency cycle (ArchUnit): neither between packages (each package
 * may depend on others only if none of them depends back on it, directly or through more packages) nor between
 * top-level classes (a nested class counts as part of the class it is nested in; an annotation's reference to the
 * JUnit extension it names does not count). Needs
 * {@code com.tngtech.archunit:archunit} on the test class path.
 */
public final class PackageCycles {

  /**
   * An annotation that names the JUnit extension reading it ({@code @ExtendWith}): JUnit's way of wiring the two, not
   * a dependency of the annotation's design.
   */
  private static final DescribedPredicate<JavaClass> ANNOTATION_NAMING_ITS_EXTENSION =
      DescribedPredicate.describe("an annotation", JavaClass::isAnnotation);

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
    // one slice per package: the parent's prefix, then the rest of the package name
    slices().matching(root.substring(0, lastDot + 1) + "(**)").should().beFreeOfCycles().check(mainClasses(root));
  }

  /**
   * Fails if any two top-level classes under {@code root} depend on each other, directly or through more classes.
   * Compile-time constants are inlined by the compiler and do not count.
   *
   * @param root a module's root package, such as {@code io.distcache.jcache}
   * @throws AssertionError naming every cycle and the class dependencies that make it
   */
  public static void assertNoClassCycles(String root) {
    requireNonNull(root, "root");
    slices().assignedFrom(new TopLevelClasses(root)).should().beFreeOfCycles()
        .ignoreDependency(ANNOTATION_NAMING_ITS_EXTENSION, DescribedPredicate.alwaysTrue())
        .check(mainClasses(root));
  }

  private static JavaClasses mainClasses(String root) {
    JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(root);
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("no main classes under " + root + " on the class path");
    }
    return classes;
  }

  /** One slice per top-level class under a root package; nested, local and anonymous classes join theirs. */
  private record TopLevelClasses(String root) implements SliceAssignment {

    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      if (!javaClass.getPackageName().equals(root) && !javaClass.getPackageName().startsWith(root + ".")) {
        return SliceIdentifier.ignore();
      }
      JavaClass topLevel = javaClass;
      while (topLevel.getEnclosingClass().isPresent()) {
        topLevel = topLevel.getEnclosingClass().get();
      }
      return SliceIdentifier.of(topLevel.getName());
    }

    @Override
    public String getDescription() {
      return "top-level classes under " + root;
    }
  }
}
