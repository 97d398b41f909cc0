/** The producer configuration file: {@link io.distcache.producer.config.SettingsFile} and its settings. */
package io.distcache.producer.config;
