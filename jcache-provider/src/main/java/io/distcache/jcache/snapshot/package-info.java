/**
 * Near-cache snapshots on disk ({@code near.snapshot-dir}): the encoded entries of a cache with their versions,
 * the change-log id and the namespace generation they reflect, so that a JVM started while Redis is unreachable
 * has something to serve, and resumes the change log from that id once Redis answers.
 */
package io.distcache.jcache.snapshot;
