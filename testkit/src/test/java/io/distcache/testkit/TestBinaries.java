package io.distcache.testkit;

import java.util.ArrayList;
import java.util.List;

/** The binaries the parameterized tests run against: the detected one and, if different, the embedded one. */
final class TestBinaries {

  private TestBinaries() {
  }

  static List<RedisBinary> all() {
    List<RedisBinary> binaries = new ArrayList<>(List.of(RedisBinary.detect()));
    RedisBinary embedded = RedisBinary.embedded();
    if (!embedded.path().equals(RedisBinary.detect().path())) {
      binaries.add(embedded);
    }
    return binaries;
  }
}
