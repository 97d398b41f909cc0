package io.distcache.jcache;

import io.distcache.testkit.PackageCycles;
import org.junit.jupiter.api.Test;

/** The module's packages, and its top-level classes, depend on each other in one direction only. */
class PackageCyclesTest {

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    PackageCycles.assertNone("io.distcache.jcache");
  }

  @Test
  void noClassDependsOnItselfThroughOthers() {
    PackageCycles.assertNoClassCycles("io.distcache.jcache");
  }
}
