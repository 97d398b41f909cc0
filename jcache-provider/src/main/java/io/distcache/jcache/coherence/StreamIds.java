package io.distcache.jcache.coherence;

/** Orders Redis stream ids ({@code <milliseconds>-<sequence>}) numerically, as Redis does, and moves them back in time. */
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

  /** The time part of a record's id: the master's clock, in milliseconds, when the record was appended. */
  static long millis(String id) {
    return Long.parseUnsignedLong(id.substring(0, id.indexOf('-')));
  }

  /**
   * The position {@code millis} before record {@code id} (its time is the master's clock when it was
   * appended): reading from it returns every record appended in that span. {@code 0-0} stays {@code 0-0}.
   */
  static String before(String id, long millis) {
    return Math.max(0, millis(id) - millis) + "-0";
  }
}
