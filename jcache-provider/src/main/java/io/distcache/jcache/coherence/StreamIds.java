package io.distcache.jcache.coherence;

/** Orders Redis stream ids ({@code <milliseconds>-<sequence>}) numerically, as Redis does. */
final class StreamIds {

  private StreamIds() {
  }

  /** Negative, zero or positive as {@code a} is before, equal to or after {@code b}. */
  static int compare(String a, String b) {
    int dashA = a.indexOf('-');
    int dashB = b.indexOf('-');
    int byTime = Long.compareUnsigned(Long.parseUnsignedLong(a.substring(0, dashA)),
        Long.parseUnsignedLong(b.substring(0, dashB)));
    return byTime != 0 ? byTime : Long.compareUnsigned(Long.parseUnsignedLong(a.substring(dashA + 1)),
        Long.parseUnsignedLong(b.substring(dashB + 1)));
  }
}
