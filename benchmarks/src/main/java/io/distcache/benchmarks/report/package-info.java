/**
 * The results report: expected rows, the machine, the ratio of each row to its group's baseline, and
 * the target check.
 */
package io.distcache.benchmarks.report;
