/**
 * Negative controls: test-only switches that each break one coherence mechanism, so that the test
 * guarding the mechanism can be shown to fail without it (docs/testing.md, "Negative controls").
 */
package io.distcache.protocol.sabotage;
