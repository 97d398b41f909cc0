package io.distcache.testkit;

import static java.util.Objects.requireNonNull;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.Arrays;
import java.util.List;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one test method in this JVM through the JUnit Platform, for the negative-control suites: with
 * the mechanism it guards broken, a test must fail, or it could not have failed at all
 * (docs/testing.md, "Negative controls").
 */
public final class GuardedTests {

  private GuardedTests() {
  }

  /**
   * Runs {@code testClass#method} (every repetition or parameter set of it) with its class's
   * lifecycle methods.
   *
   * @return how it went
   * @throws IllegalArgumentException if no such test ran
   */
  public static Outcome run(Class<?> testClass, String method) {
    return run(testClass.getName(), method);
  }

  /**
   * Like {@link #run(Class, String)}, for a test class this package cannot see (tests are package-private).
   *
   * @param testClass the class's fully qualified name
   */
  public static Outcome run(String testClass, String method) {
    requireNonNull(testClass, "testClass");
    requireNonNull(method, "method");
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(methodsNamed(testClass, method)).build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    String name = testClass.substring(testClass.lastIndexOf('.') + 1) + "." + method;
    if (summary.getTestsStartedCount() == 0) {
      throw new IllegalArgumentException("no test " + name + " ran: check the class and method name");
    }
    List<Throwable> failures = summary.getFailures().stream().map(TestExecutionSummary.Failure::getException)
        .toList();
    return new Outcome(name, summary.getTestsSucceededCount(), failures);
  }

  /** The test methods of that name, whatever their parameters (a {@code @TempDir}, a parameterized test's). */
  private static List<MethodSelector> methodsNamed(String testClass, String method) {
    Class<?> type;
    try {
      type = Class.forName(testClass, false, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("no test class " + testClass, e);
    }
    return Arrays.stream(type.getDeclaredMethods()).filter(candidate -> candidate.getName().equals(method))
        .map(candidate -> selectMethod(type, candidate)).toList();
  }

  /**
   * What a guarded test did.
   *
   * @param test the test's class and method
   * @param succeeded how many of its runs passed
   * @param failures why the others failed
   */
  public record Outcome(String test, long succeeded, List<Throwable> failures) {

    /** Copies the list. */
    public Outcome {
      failures = List.copyOf(failures);
    }

    /**
     * Whether a run of the test failed one of its assertions: an {@link AssertionError}, or a wait for
     * a condition that never held (Awaitility's timeout). A test that fails with another exception did
     * not judge the broken mechanism; it stopped before it got there.
     */
    public boolean failedAnAssertion() {
      return failures.stream().anyMatch(Outcome::isAssertion);
    }

    private static boolean isAssertion(Throwable failure) {
      return failure instanceof AssertionError
          || "org.awaitility.core.ConditionTimeoutException".equals(failure.getClass().getName());
    }

    /** The first failure's message on one line, or that the test passed. */
    public String verdict() {
      if (failures.isEmpty()) {
        return test + " passed " + succeeded + " time(s)";
      }
      // AssertJ puts the description first and the expected and actual values last.
      List<String> lines = String.valueOf(failures.get(0).getMessage()).lines().map(String::strip)
          .filter(line -> !line.isEmpty()).toList();
      String message = lines.size() <= 3 ? String.join(" / ", lines)
          : lines.get(0) + " ... " + String.join(" / ", lines.subList(lines.size() - 2, lines.size()));
      return test + " failed: " + failures.get(0).getClass().getSimpleName() + ": " + message;
    }
  }
}
