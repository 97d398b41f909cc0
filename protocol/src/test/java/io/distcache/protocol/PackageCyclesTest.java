package io.distcache.protocol;

import io.distcache.testkit.PackageCycles;
import org.junit.jupiter.api.Test;

/** The module's packages, and its classes, depend on each other in one direction only. */
class PackageCyclesTest {

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    PackageCycles.assertNone("io.distcache.protocol");
  }

  @Test
  void noClassDependsOnItselfThroughOthers() {
    PackageCycles.assertNoClassCycles("io.distcache.protocol");
  }
}
