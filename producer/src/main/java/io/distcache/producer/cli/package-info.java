/**
 * The {@code distcache-producer} command line ({@code run}, {@code validate}): parses the
 * arguments and the configuration file, then starts a {@link io.distcache.producer.CacheProducer}.
 */
package io.distcache.producer.cli;
