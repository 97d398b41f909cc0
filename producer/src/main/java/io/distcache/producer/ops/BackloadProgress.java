package io.distcache.producer.ops;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of a backload or a build: records done of the end offsets seen when it started, percentage,
 * records per second and time left, logged at most every two seconds, then one summary line. Written by one
 * projection thread; {@link #toJson()} and the getters may be read from others.
 */
public final class BackloadProgress {

  private static final Logger LOG = LoggerFactory.getLogger("io.distcache.producer.progress");
  private static final long INTERVAL_NANOS = 2_000_000_000L;

  private final String projection;
  private final String what;
  private final Map<Integer, Long> ends;
  private final long total;
  private final long startNanos = System.nanoTime();
  private volatile long done;
  private long lastLine = startNanos;
  private volatile boolean finished;

  /**
   * Starts tracking a backload.
   *
   * @param projection the projection's name
   * @param what what is tracked, for the log lines: {@code backload} or {@code build}
   * @param starts the next offset per partition when the backload started
   * @param ends the end offset per partition when the backload started
   */
  public BackloadProgress(String projection, String what, Map<Integer, Long> starts, Map<Integer, Long> ends) {
    this.projection = requireNonNull(projection, "projection");
    this.what = requireNonNull(what, "what");
    requireNonNull(starts, "starts");
    this.ends = Map.copyOf(ends);
    long sum = 0;
    for (Map.Entry<Integer, Long> end : ends.entrySet()) {
      sum += Math.max(0, end.getValue() - starts.getOrDefault(end.getKey(), 0L));
    }
    this.total = sum;
  }

  /** Counts processed records and prints the line when it is due. */
  public void advance(int records) {
    done += records;
    long now = System.nanoTime();
    if (now - lastLine >= INTERVAL_NANOS) {
      lastLine = now;
      LOG.info("{} {}: {}/{} records ({}%), {} records/s, ETA {} s", what, projection, done, total, percent(),
          Math.round(recordsPerSecond()), etaSeconds());
    }
  }

  /** Records processed so far. */
  public long done() {
    return done;
  }

  /** Records between the start and the end offsets seen when it started. */
  public long total() {
    return total;
  }

  /** Percent done, 0 to 100. */
  public long percent() {
    return finished || total == 0 ? 100 : Math.min(100, done * 100 / total);
  }

  /** Records per second since the start. */
  public double recordsPerSecond() {
    return done / Math.max((System.nanoTime() - startNanos) / 1e9, 1e-3);
  }

  /** Seconds left at the rate so far (0 when done). */
  public long etaSeconds() {
    return finished ? 0 : Math.round(Math.max(0, total - done) / Math.max(recordsPerSecond(), 1));
  }

  /** The progress as a JSON object, for {@code /health}. */
  public String toJson() {
    return "{\"records\":" + done + ",\"total\":" + total + ",\"percent\":" + percent() + ",\"recordsPerSecond\":"
        + Math.round(recordsPerSecond()) + ",\"etaSeconds\":" + etaSeconds() + "}";
  }

  /**
   * Whether every partition's position reached the end offset seen at start; logs the summary once. A partition
   * without a position is no longer read here (a consumer group gave it to another member).
   */
  public boolean reached(Map<Integer, Long> positions) {
    if (finished) {
      return true;
    }
    for (Map.Entry<Integer, Long> end : ends.entrySet()) {
      Long position = positions.get(end.getKey());
      if (position != null && position < end.getValue()) {
        return false;
      }
    }
    finished = true;
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    LOG.info("{} {} done: {} records in {} s ({} records/s)", what, projection, done,
        String.format("%.1f", seconds), Math.round(done / Math.max(seconds, 1e-3)));
    return true;
  }
}
