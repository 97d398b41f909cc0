/**
 * JUnit 5 support: {@link io.distcache.testkit.junit.StartedRedis} on a
 * {@link io.distcache.testkit.RedisServer} field starts a real {@code redis-server} for a test class or for each
 * test, and stops it after, in place of the start and stop methods every such test would repeat.
 */
package io.distcache.testkit.junit;
