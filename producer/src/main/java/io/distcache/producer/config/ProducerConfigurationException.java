package io.distcache.producer.config;

import javax.cache.CacheException;

/** A producer configuration file or value is invalid; the message names the key and what is expected. */
public final class ProducerConfigurationException extends CacheException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the key and what to write instead. */
  public ProducerConfigurationException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the parse failure behind it. */
  public ProducerConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
