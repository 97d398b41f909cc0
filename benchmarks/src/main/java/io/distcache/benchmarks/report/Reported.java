package io.distcache.benchmarks.report;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Places a JMH benchmark method in the results table. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Reported {

  /** The table the row belongs to. */
  Group group();

  /** The row's label. */
  String label();

  /** Whether this row is the group's baseline, the denominator of every ratio. */
  boolean baseline() default false;
}
