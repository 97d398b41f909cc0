package io.distcache.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsLoaderTest {

  private static final ClassLoader NO_DEFAULT_FILE = TestClassLoaders.withoutDefaultFile();
  private static final ClassLoader DEFAULT_FILE = TestClassLoaders.servingDefaultFile("configuration/defaults-only.properties");
  private static final URI CACHES = URI.create("classpath:configuration/caches.properties");

  @TempDir
  Path dir;

  private static ProviderSettings load(URI uri, ClassLoader classLoader) {
    return SettingsLoader.load(uri, classLoader, new Properties(), Map.of(), new Properties());
  }

  private static Properties properties(String... keysAndValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    return properties;
  }

  @Test
  void withoutAnyFileTheBuiltInDefaultsApply() {
    ProviderSettings settings = load(null, NO_DEFAULT_FILE);

    assertThat(settings.source()).isEqualTo("built-in defaults");
    assertThat(settings).usingRecursiveComparison().isEqualTo(ProviderSettings.builtIn());
  }

  @Test
  void nullArgumentsMeanNothingToAdd() {
    ProviderSettings settings = SettingsLoader.load(SettingsLoader.DEFAULT_URI, NO_DEFAULT_FILE, null, null, null);

    assertThat(settings).isEqualTo(ProviderSettings.builtIn());
  }

  @Test
  void theDefaultUriReadsTheOptionalClasspathFile() {
    ProviderSettings settings = load(SettingsLoader.DEFAULT_URI, DEFAULT_FILE);

    assertThat(settings.source()).startsWith("classpath:distcache.properties (").contains("defaults-only.properties");
    assertThat(settings.keyPrefix()).isEqualTo("from-default-file");
    assertThat(settings.defaults().nearMaxItems()).isEqualTo(777);
    assertThat(settings.caches()).containsOnlyKeys("from-default-file");
    assertThat(load(null, DEFAULT_FILE)).isEqualTo(settings);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cacheManager1", "http://x", "urn:distcache:second", "jar:file:/x.jar!/y"})
  void anyOtherUriOnlyNamesAManagerAndReadsTheDefaultFile(String uri) {
    ProviderSettings settings = load(URI.create(uri), DEFAULT_FILE);

    assertThat(settings.keyPrefix()).isEqualTo("from-default-file");
    assertThat(load(URI.create(uri), NO_DEFAULT_FILE)).isEqualTo(ProviderSettings.builtIn());
  }

  @Test
  void aRedisUriOverridesRedisUriAndKeepsTheDefaultFile() {
    ProviderSettings settings = load(URI.create("redis://u:secret@127.0.0.1:6380"), DEFAULT_FILE);

    assertThat(settings.redisUri()).isEqualTo("redis://u:secret@127.0.0.1:6380");
    assertThat(settings.keyPrefix()).isEqualTo("from-default-file");
    assertThat(settings.source()).startsWith("CacheManager URI redis://u:***@127.0.0.1:6380 + classpath:")
        .doesNotContain("secret");
  }

  @Test
  void aRedisUriWinsOverEverySourceOfRedisUri() {
    Properties system = properties("distcache.redis.uri", "redis://sysprop:6379");

    ProviderSettings settings = SettingsLoader.load(URI.create("rediss://h:6390"), NO_DEFAULT_FILE,
        properties("redis.uri", "redis://props:6379"), Map.of("DISTCACHE_REDIS_URI", "redis://env:6379"), system);

    assertThat(settings.redisUri()).isEqualTo("rediss://h:6390");
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis-sentinel://pw@s1:26379,s2:26379/0#mymaster", "rediss://h"})
  void everyRedisSchemeIsARedisUri(String uri) {
    assertThat(load(URI.create(uri), NO_DEFAULT_FILE).redisUri()).isEqualTo(uri);
  }

  @Test
  void parsesCacheNamesWithDotsHashesAndSpacesInDeclarationOrder() {
    ProviderSettings settings = load(CACHES, NO_DEFAULT_FILE);

    assertThat(settings.source()).startsWith("classpath:configuration/caches.properties (");
    assertThat(settings.redisUri()).isEqualTo("redis://app:file-secret@10.0.0.1:6380/2");
    assertThat(settings.caches()).containsExactly(
        Map.entry("users", settings.caches().get("users")),
        Map.entry("com.acme.Author", settings.caches().get("com.acme.Author")),
        Map.entry("com.acme.Author.books", settings.caches().get("com.acme.Author.books")),
        Map.entry("com.acme.Author##NaturalId", settings.caches().get("com.acme.Author##NaturalId")),
        Map.entry("my cache with spaces", settings.caches().get("my cache with spaces")),
        Map.entry("prefixed", settings.caches().get("prefixed")));
    assertThat(settings.forCache("users").nearMaxItems()).isEqualTo(42);
    assertThat(settings.forCache("com.acme.Author").nearMaxBytes()).isEqualTo(2 * 1024 * 1024);
    assertThat(settings.forCache("com.acme.Author.books").readFrom()).isEqualTo(ReadFrom.REPLICA);
    assertThat(settings.forCache("com.acme.Author##NaturalId").nearMaxTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.forCache("my cache with spaces").statisticsEnabled()).isTrue();
    assertThat(settings.forCache("prefixed").codec()).isEqualTo("kryo");
  }

  @Test
  void declaredCachesInheritTheDefaultsKeysAndUndeclaredOnesGetThem() {
    ProviderSettings settings = load(CACHES, NO_DEFAULT_FILE);

    CacheSettings author = settings.forCache("com.acme.Author");
    assertThat(author.nearMaxItems()).isEqualTo(500);
    assertThat(author.commandTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(author.nearMaxTtl()).isEqualTo(CacheSettings.defaults().nearMaxTtl());
    assertThat(settings.forCache("created-at-runtime")).isSameAs(settings.defaults());
    assertThat(settings.defaults().nearMaxItems()).isEqualTo(500);
  }

  @Test
  void aClusterUriListsSeedNodesWithSharedCredentials() throws IOException {
    Path file = Files.writeString(dir.resolve("cluster.properties"),
        "redis.cluster=true\nredis.uri=redis://app:pw@h1:7000, h2:7001/0\n");

    ProviderSettings settings = SettingsLoader.load(file.toUri(), NO_DEFAULT_FILE, null, null, null);

    assertThat(settings.cluster()).isTrue();
    assertThat(settings.seedUris()).containsExactly("redis://app:pw@h1:7000/0", "redis://app:pw@h2:7001/0");
    assertThat(settings.toString()).contains("cluster=true").doesNotContain("pw");
  }

  @Test
  void readsAFileUri() throws IOException {
    Path file = Files.writeString(dir.resolve("app.properties"), "cache[orders].near.max-items=3\n");

    ProviderSettings settings = load(file.toUri(), DEFAULT_FILE);

    assertThat(settings.source()).isEqualTo("file " + file.toAbsolutePath());
    assertThat(settings.caches()).containsOnlyKeys("orders");
    assertThat(settings.keyPrefix()).as("the default file is not read with an explicit file").isEqualTo("dc");
  }

  @Test
  void readsARelativeFileUriFromTheWorkingDirectory() {
    Path relative = Path.of("src/test/resources/configuration/caches.properties");

    ProviderSettings settings = load(URI.create("file:" + relative), NO_DEFAULT_FILE);

    assertThat(settings.source()).isEqualTo("file " + relative.toAbsolutePath());
    assertThat(settings.caches()).containsKey("users");
  }

  @Test
  void readsFilesAsUtf8() throws IOException {
    Path file = Files.writeString(dir.resolve("utf8.properties"), "cache[café].near.max-items=3\n");

    assertThat(load(file.toUri(), NO_DEFAULT_FILE).caches()).containsOnlyKeys("café");
  }

  @Test
  void aMissingFileIsAnErrorNamingThePath() {
    Path missing = dir.resolve("missing.properties");

    assertThatThrownBy(() -> load(missing.toUri(), NO_DEFAULT_FILE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void aMissingClasspathResourceIsAnErrorUnlessItIsTheDefault() {
    assertThatThrownBy(() -> load(URI.create("classpath:configuration/nope.properties"), NO_DEFAULT_FILE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'configuration/nope.properties'")
        .hasMessageContaining("not on the classpath");
    assertThat(load(URI.create("classpath:/distcache.properties"), NO_DEFAULT_FILE))
        .isEqualTo(ProviderSettings.builtIn());
  }

  @Test
  void aMalformedFileIsAnErrorNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.properties"), "redis.key-prefix=\\uZZZZ\n");

    assertThatThrownBy(() -> load(file.toUri(), NO_DEFAULT_FILE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a valid .properties file");
  }

  @Test
  void higherPrecedenceSourcesOverrideLowerOnesKeyByKey() {
    URI file = URI.create("classpath:configuration/precedence.properties");
    Properties properties = properties(
        "redis.key-prefix", "props",
        "distcache.redis.connect-timeout", "3s",
        "change-log.max-length", "3",
        "cache[users].near.max-items", "3");
    Map<String, String> environment = Map.of(
        "DISTCACHE_REDIS_KEY_PREFIX", "env",
        "DISTCACHE_REDIS_CONNECT_TIMEOUT", "4s",
        "DISTCACHE_DEFAULTS_NEAR_MAX_ITEMS", "4");
    Properties system = properties(
        "distcache.redis.key-prefix", "sysprop",
        "distcache.cache[users].near.max-items", "5");

    ProviderSettings settings = SettingsLoader.load(file, NO_DEFAULT_FILE, properties, environment, system);

    assertThat(settings.source()).isEqualTo("classpath:configuration/precedence.properties ("
        + getClass().getClassLoader().getResource("configuration/precedence.properties")
        + ") + the properties passed to getCacheManager + environment variables + system properties");
    assertThat(settings.keyPrefix()).as("system property over all").isEqualTo("sysprop");
    assertThat(settings.connectTimeout()).as("environment over properties").isEqualTo(Duration.ofSeconds(4));
    assertThat(settings.changeLogMaxLength()).as("properties over file").isEqualTo(3);
    assertThat(settings.defaults().nearMaxItems()).as("environment over file").isEqualTo(4);
    assertThat(settings.forCache("users").nearMaxItems()).as("system property over properties").isEqualTo(5);
    assertThat(settings.forCache("users").nearMaxTtl()).as("file over built-in").isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.redisUri()).as("built-in").isEqualTo("redis://127.0.0.1:6379");
  }

  @Test
  void systemPropertiesAndPropertiesCanDeclareCachesAfterTheFileOnes() {
    Properties properties = properties("cache[b-props].near.max-items", "1", "cache[a-props].near.max-items", "1");
    Properties system = properties("distcache.cache[sys].management", "true", "java.version", "17");

    ProviderSettings settings = SettingsLoader.load(CACHES, NO_DEFAULT_FILE, properties, Map.of(), system);

    assertThat(settings.caches().keySet()).endsWith("a-props", "b-props", "sys").startsWith("users");
    assertThat(settings.forCache("sys").managementEnabled()).isTrue();
  }

  @Test
  void unknownEnvironmentVariablesAreIgnored() {
    Map<String, String> environment = Map.of(
        "DISTCACHE_HOME", "/opt/distcache",
        "DISTCACHE_CACHE_USERS_NEAR_MAX_ITEMS", "1",
        "PATH", "/bin",
        "DISTCACHE_REDIS_URI", "redis://from-env:6379");

    ProviderSettings settings = SettingsLoader.load(null, NO_DEFAULT_FILE, null, environment, null);

    assertThat(settings.redisUri()).isEqualTo("redis://from-env:6379");
    assertThat(settings.caches()).isEmpty();
  }

  @Test
  void everyTopLevelAndDefaultsKeyHasItsOwnEnvironmentVariable() {
    assertThat(ConfigKeys.ENVIRONMENT_VARIABLES)
        .hasSize(ConfigKeys.TOP_LEVEL.size() + ConfigKeys.DEFAULT_SETTINGS.size())
        .containsEntry("DISTCACHE_REDIS_URI", "redis.uri")
        .containsEntry("DISTCACHE_REDIS_TLS_TRUST_STORE_PASSWORD", "redis.tls.trust-store-password")
        .containsEntry("DISTCACHE_DEFAULTS_NEAR_MAX_ITEMS", "defaults.near.max-items");
  }

  @Test
  void unrelatedPropertiesPassedByFrameworksAreIgnored() {
    Properties properties = new Properties();
    properties.setProperty("hibernate.javax.cache.uri", "redis://x");
    properties.setProperty("spring.cache.type", "jcache");
    properties.put("hibernate.generate_statistics", Boolean.TRUE);
    properties.put("distcache.defaults.near.max-items", 12);
    properties.put(Integer.valueOf(1), "not a string key");

    ProviderSettings settings = SettingsLoader.load(null, NO_DEFAULT_FILE, properties, Map.of(), null);

    assertThat(settings.defaults().nearMaxItems()).as("non-string values are read by toString()").isEqualTo(12);
  }

  @Test
  void propertiesDefaultsAreRead() {
    Properties properties = new Properties(properties("redis.key-prefix", "inherited"));

    assertThat(SettingsLoader.load(null, NO_DEFAULT_FILE, properties, Map.of(), null).keyPrefix()).isEqualTo("inherited");
  }

  @Test
  void readsEveryTopLevelKey() {
    Properties properties = properties(
        "redis.uri", "rediss://default:pw@master:6380",
        "redis.replicas", "redis://r1:6379, rediss://u:pw@r2:6379,",
        "redis.key-prefix", "app1",
        "redis.connect-timeout", "PT0.5S",
        "redis.tls.trust-store", "/etc/ca.p12",
        "redis.tls.trust-store-password", " pass word ",
        "change-log.max-length", "5000",
        "codec.allowed-packages", "com.acme.model,com.acme.billing",
        "codec.allowed-classes", "com.acme.Outer$Inner");

    ProviderSettings settings = SettingsLoader.load(null, NO_DEFAULT_FILE, properties, Map.of(), null);

    assertThat(settings.redisUri()).isEqualTo("rediss://default:pw@master:6380");
    assertThat(settings.replicaUris()).containsExactly("redis://r1:6379", "rediss://u:pw@r2:6379");
    assertThat(settings.keyPrefix()).isEqualTo("app1");
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.trustStore()).isEqualTo("/etc/ca.p12");
    assertThat(settings.trustStorePassword()).as("secrets are kept verbatim").isEqualTo(" pass word ");
    assertThat(settings.changeLogMaxLength()).isEqualTo(5000);
    assertThat(settings.allowedPackages()).containsExactly("com.acme.model", "com.acme.billing");
    assertThat(settings.allowedClasses()).containsExactly("com.acme.Outer$Inner");
  }

  @Test
  void readsEveryCacheSetting() {
    Properties properties = properties(
        "cache[c].namespace", "orders-v2",
        "cache[c].near.max-items", "0",
        "cache[c].near.max-bytes", "1 GB",
        "cache[c].near.max-ttl", "2d",
        "cache[c].read-from", "master",
        "cache[c].codec", "KRYO",
        "cache[c].compression-threshold", "1KiB",
        "cache[c].command-timeout", "1h",
        "cache[c].store-by-value", "FALSE",
        "cache[c].statistics", "true",
        "cache[c].management", "True",
        "cache[c].key-type", "java.lang.Long",
        "cache[c].value-type", "com.acme.Order",
        "cache[c].lease", " All ",
        "cache[c].near.negative-caching", "Off",
        "cache[c].near.preload", "ALL",
        "cache[c].near.preload-wait", "30s",
        "cache[c].near.snapshot-dir", " /var/lib/app/near ",
        "cache[c].near.snapshot-interval", "5m");

    CacheSettings cache = SettingsLoader.load(null, NO_DEFAULT_FILE, properties, Map.of(), null).forCache("c");

    assertThat(cache).isEqualTo(new CacheSettings("orders-v2", 0, 1_000_000_000L, Duration.ofDays(2), ReadFrom.MASTER,
        "kryo", 1024, Duration.ofHours(1), false, true, true, "java.lang.Long", "com.acme.Order",
        LeaseScope.ALL, new NearOptions(NegativeCaching.OFF, Preload.ALL, Duration.ofSeconds(30),
            Path.of("/var/lib/app/near"), Duration.ofMinutes(5))));
  }
}
