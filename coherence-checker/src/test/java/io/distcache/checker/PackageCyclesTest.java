package io.distcache.checker;

import io.distcache.testkit.PackageCycles;
import org.junit.jupiter.api.Test;

/** The module's packages, and its top-level classes, depend on each other in one direction only. */
class PackageCyclesTest {

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    PackageCycles.assertNone("io.distcache.checker");
  }

  @Test
  void noClassDependsOnItselfThroughOthers() {
    PackageCycles.assertNoClassCycles("io.distcache.checker");
  }
}
