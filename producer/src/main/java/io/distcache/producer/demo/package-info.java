/** The self-contained demo behind {@code java -jar distcache-producer.jar demo}. */
package io.distcache.producer.demo;
