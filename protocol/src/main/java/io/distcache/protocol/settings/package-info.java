/**
 * The grammar of setting values that the provider, the producer and the coherence checker share: durations and
 * byte sizes.
 */
package io.distcache.protocol.settings;
