package io.distcache.benchmarks.report;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A row a run should produce: a {@link Reported} benchmark method at a thread count.
 *
 * @param group the table
 * @param threads benchmark threads
 * @param method the method's simple name
 * @param label the row label
 * @param baseline whether it is the group's baseline
 */
public record ExpectedRow(Group group, int threads, String method, String label, boolean baseline) {

  /** The rows of every {@link Reported} method of {@code benchmarkClass}, baseline first, then by name. */
  public static List<ExpectedRow> of(Class<?> benchmarkClass, int threads) {
    return Arrays.stream(benchmarkClass.getMethods())
        .filter(method -> method.isAnnotationPresent(Reported.class))
        .sorted(Comparator.comparing((Method method) -> !method.getAnnotation(Reported.class).baseline())
            .thenComparing(Method::getName))
        .map(method -> {
          Reported reported = method.getAnnotation(Reported.class);
          return new ExpectedRow(reported.group(), threads, method.getName(), reported.label(), reported.baseline());
        })
        .toList();
  }
}
