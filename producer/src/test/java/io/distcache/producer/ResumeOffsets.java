package io.distcache.producer;

/**
 * The offsets a restarted producer resumes from, read from a namespace's meta hash on the shared
 * redis-server: those of the build under way (a new namespace is built first), if any, else the namespace's.
 */
final class ResumeOffsets {

  private ResumeOffsets() {
  }

  /** The meta field prefix of those offsets: {@code shadow-offset:} during a build, else {@code offset:}. */
  static String field(String namespace) {
    String building = Infra.redis().command("HGET", meta(namespace), "shadow");
    return building == null || building.isEmpty() ? "offset:" : "shadow-offset:";
  }

  /** Their sum over partitions {@code 0} to {@code partitions - 1}. */
  static long sum(String namespace, int partitions) {
    String field = field(namespace);
    long sum = 0;
    for (int partition = 0; partition < partitions; partition++) {
      String offset = Infra.redis().command("HGET", meta(namespace), field + partition);
      sum += offset == null || offset.isEmpty() ? 0 : Long.parseLong(offset);
    }
    return sum;
  }

  private static String meta(String namespace) {
    return "dc:{dc}:" + namespace + ":meta";
  }
}
