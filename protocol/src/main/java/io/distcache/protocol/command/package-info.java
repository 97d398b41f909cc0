/**
 * Commands sent on from another command's reply, whose outcome becomes the caller's future and which are cancelled
 * with it: the script fallback and the paged removal of entries are built on them.
 */
package io.distcache.protocol.command;
