/**
 * Configuration of the distcache JCache provider.
 *
 * <p>{@link io.distcache.jcache.configuration.SettingsLoader} resolves a CacheManager's
 * {@link io.distcache.jcache.configuration.ProviderSettings} from a {@code .properties} file (by default
 * the optional classpath resource {@code distcache.properties}), the properties passed to
 * {@code getCacheManager}, {@code DISTCACHE_*} environment variables and {@code distcache.*} system
 * properties. Each cache gets {@link io.distcache.jcache.configuration.CacheSettings}: the
 * {@code defaults.*} keys, overridden per cache by {@code cache[<name>].*} keys or, for caches
 * created at runtime, by a {@link io.distcache.jcache.configuration.DistCacheConfiguration}.
 *
 * <p>Every key is one row of {@code SettingsTable}: its scope, parser, built-in default and documentation. The
 * loader reads values through it, the built-in defaults come from it, and the tables of docs/configuration.md are
 * generated from it; {@code ConfigKeys} maps keys to scopes, system properties and environment variables.
 *
 * <p>{@link io.distcache.jcache.configuration.RedisUrlStreamHandlerProvider} lets frameworks that pass
 * the CacheManager URI through {@code java.net.URL} (Hibernate, Spring Boot) accept Redis URIs.
 */
package io.distcache.jcache.configuration;
