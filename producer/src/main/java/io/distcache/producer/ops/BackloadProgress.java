package io.distcache.producer.ops;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console progress line of a backload: records done of the end offsets seen when it started,
 * percentage, records per second and time left, at most every two seconds, then one summary line.
 * Used by one projection thread.
 */
public final class BackloadProgress {

  private static final Logger LOG = LoggerFactory.getLogger("io.distcache.producer.progress");
  private static final long INTERVAL_NANOS = 2_000_000_000L;

  private final String projection;
  private final Map<Integer, Long> ends;
  private final long total;
  private final long startNanos = System.nanoTime();
  private long done;
  private long lastLine = startNanos;
  private boolean finished;

  /**
   * Starts tracking a backload.
   *
   * @param projection the projection's name
   * @param starts the next offset per partition when the backload started
   * @param ends the end offset per partition when the backload started
   */
  public BackloadProgress(String projection, Map<Integer, Long> starts, Map<Integer, Long> ends) {
    this.projection = projection;
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
      double seconds = (now - startNanos) / 1e9;
      double rate = done / Math.max(seconds, 1e-3);
      long left = Math.max(0, total - done);
      LOG.info("backload {}: {}/{} records ({}%), {} records/s, ETA {} s", projection, done, total,
          total == 0 ? 100 : Math.min(100, done * 100 / total), Math.round(rate), Math.round(left / Math.max(rate, 1)));
    }
  }

  /** Whether every partition's position reached the end offset seen at start; logs the summary once. */
  public boolean reached(Map<Integer, Long> positions) {
    if (finished) {
      return true;
    }
    for (Map.Entry<Integer, Long> end : ends.entrySet()) {
      if (positions.getOrDefault(end.getKey(), 0L) < end.getValue()) {
        return false;
      }
    }
    finished = true;
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    LOG.info("backload {} done: {} records in {} s ({} records/s); following live changes", projection, done,
        String.format("%.1f", seconds), Math.round(done / Math.max(seconds, 1e-3)));
    return true;
  }
}
