package io.distcache.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The distcache settings of a Spring Boot application: {@code distcache.<key>}, the keys and values of
 * docs/configuration.md. They exist for IDE completion (the generated configuration metadata) and for Boot's
 * binding checks at start-up; the provider reads the {@code distcache.*} values from the environment as written
 * and parses them with its own grammar ({@link DistCacheSettingsCustomizer}), so a value means the same here as in
 * {@code distcache.properties}. Durations and sizes are therefore strings in that grammar ({@code 500ms},
 * {@code 2s}, {@code 64MiB}). Unset keys keep the provider's defaults, given in each description.
 */
@ConfigurationProperties(prefix = "distcache")
public class DistCacheProperties {

  private final Redis redis = new Redis();
  private final ChangeLog changeLog = new ChangeLog();
  private final Codec codec = new Codec();
  private final Outage outage = new Outage();
  private final Contention contention = new Contention();
  private final Tracking tracking = new Tracking();
  private final CacheSettings defaults = new CacheSettings();
  /**
   * Declared caches by name, each created when the CacheManager starts, with settings that override
   * {@code defaults}: {@code distcache.cache[users].near.max-items=5000}.
   */
  private final Map<String, NamedCacheSettings> cache = new LinkedHashMap<>();

  public Redis getRedis() {
    return redis;
  }

  public ChangeLog getChangeLog() {
    return changeLog;
  }

  public Codec getCodec() {
    return codec;
  }

  public Outage getOutage() {
    return outage;
  }

  public Contention getContention() {
    return contention;
  }

  public Tracking getTracking() {
    return tracking;
  }

  public CacheSettings getDefaults() {
    return defaults;
  }

  public Map<String, NamedCacheSettings> getCache() {
    return cache;
  }

  /** The Redis deployment. */
  public static class Redis {

    /**
     * The Redis deployment: a master (redis://, TLS rediss://) or Sentinel
     * (redis-sentinel://[password@]h1:26379,h2:26379[/db]#masterId); with redis.cluster=true, seed nodes of a
     * Redis Cluster. A password is allowed and masked in logs. Default redis://127.0.0.1:6379.
     */
    private String uri;
    /** Whether redis.uri names nodes of a Redis Cluster. Default false. */
    private Boolean cluster;
    /** Explicit replica nodes to read from, comma-separated URIs. Default: the master's replicas, discovered. */
    private String replicas;
    /** Prefix of every Redis key of the deployment, shared with the producer. Default dc. */
    private String keyPrefix;
    /** How long establishing a Redis connection may take, e.g. 5s. Default 2s. */
    private String connectTimeout;
    private final Tls tls = new Tls();

    public String getUri() {
      return uri;
    }

    public void setUri(String uri) {
      this.uri = uri;
    }

    public Boolean getCluster() {
      return cluster;
    }

    public void setCluster(Boolean cluster) {
      this.cluster = cluster;
    }

    public String getReplicas() {
      return replicas;
    }

    public void setReplicas(String replicas) {
      this.replicas = replicas;
    }

    public String getKeyPrefix() {
      return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    public String getConnectTimeout() {
      return connectTimeout;
    }

    public void setConnectTimeout(String connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    public Tls getTls() {
      return tls;
    }
  }

  /** TLS towards a rediss:// deployment. */
  public static class Tls {

    /** Trust store with the CA of a rediss:// server. Default: the JVM's trust. */
    private String trustStore;
    /** Password of the trust store; never shown. */
    private String trustStorePassword;

    public String getTrustStore() {
      return trustStore;
    }

    public void setTrustStore(String trustStore) {
      this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
      return trustStorePassword;
    }

    public void setTrustStorePassword(String trustStorePassword) {
      this.trustStorePassword = trustStorePassword;
    }
  }

  /** Each namespace's change log. */
  public static class ChangeLog {

    /** Approximate cap (XADD MAXLEN ~) of each namespace's change-log stream. Default 100000. */
    private Long maxLength;

    public Long getMaxLength() {
      return maxLength;
    }

    public void setMaxLength(Long maxLength) {
      this.maxLength = maxLength;
    }
  }

  /** The Kryo value codec. */
  public static class Codec {

    /** Packages whose classes the codec may instantiate, besides JDK value types, comma-separated. */
    private String allowedPackages;
    /** Individual classes the codec may instantiate, comma-separated. */
    private String allowedClasses;
    /** How fields are written: compatible (by name) or positional. Default compatible. */
    private String format;
    /** Deepest nesting of objects a decoded value may have. Default 100. */
    private Integer maxDepth;
    /** Most bytes a compressed value may decompress to, e.g. 256MiB. Default 64MiB. */
    private String maxDecodedSize;
    /** What a read does with a value it cannot decode: miss (read as absent) or fail. Default miss. */
    private String onUndecodable;

    public String getAllowedPackages() {
      return allowedPackages;
    }

    public void setAllowedPackages(String allowedPackages) {
      this.allowedPackages = allowedPackages;
    }

    public String getAllowedClasses() {
      return allowedClasses;
    }

    public void setAllowedClasses(String allowedClasses) {
      this.allowedClasses = allowedClasses;
    }

    public String getFormat() {
      return format;
    }

    public void setFormat(String format) {
      this.format = format;
    }

    public Integer getMaxDepth() {
      return maxDepth;
    }

    public void setMaxDepth(Integer maxDepth) {
      this.maxDepth = maxDepth;
    }

    public String getMaxDecodedSize() {
      return maxDecodedSize;
    }

    public void setMaxDecodedSize(String maxDecodedSize) {
      this.maxDecodedSize = maxDecodedSize;
    }

    public String getOnUndecodable() {
      return onUndecodable;
    }

    public void setOnUndecodable(String onUndecodable) {
      this.onUndecodable = onUndecodable;
    }
  }

  /** Serving through Redis outages: the circuit breaker and replica lag. */
  public static class Outage {

    /** How long after Redis became unreachable near-cache hits are still served, e.g. 1h. Default 10m. */
    private String staleOnFailure;
    /** How long the circuit breaker stays open before one call probes Redis again. Default 1s. */
    private String retryInterval;
    /** Consecutive unavailable calls that open the circuit breaker. Default 2. */
    private Integer failureThreshold;
    /** How far a replica may trail the heartbeat before reads move to the master. Default 2s. */
    private String replicaMaxLag;

    public String getStaleOnFailure() {
      return staleOnFailure;
    }

    public void setStaleOnFailure(String staleOnFailure) {
      this.staleOnFailure = staleOnFailure;
    }

    public String getRetryInterval() {
      return retryInterval;
    }

    public void setRetryInterval(String retryInterval) {
      this.retryInterval = retryInterval;
    }

    public Integer getFailureThreshold() {
      return failureThreshold;
    }

    public void setFailureThreshold(Integer failureThreshold) {
      this.failureThreshold = failureThreshold;
    }

    public String getReplicaMaxLag() {
      return replicaMaxLag;
    }

    public void setReplicaMaxLag(String replicaMaxLag) {
      this.replicaMaxLag = replicaMaxLag;
    }
  }

  /** Concurrent writers of one key across CacheManagers. */
  public static class Contention {

    /** How long a per-key lease lives without renewal. Default 10s. */
    private String leaseTime;
    /** How long an operation waits for another holder's lease before it fails. Default 30s. */
    private String leaseWait;
    /** Compare-and-set tries of an unleased write before it fails. Default 100. */
    private Integer maxAttempts;
    /** Longest pause between two tries or lease polls. Default 20ms. */
    private String maxBackoff;

    public String getLeaseTime() {
      return leaseTime;
    }

    public void setLeaseTime(String leaseTime) {
      this.leaseTime = leaseTime;
    }

    public String getLeaseWait() {
      return leaseWait;
    }

    public void setLeaseWait(String leaseWait) {
      this.leaseWait = leaseWait;
    }

    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public String getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(String maxBackoff) {
      this.maxBackoff = maxBackoff;
    }
  }

  /** Namespaces written by tools that do not append to the change log. */
  public static class Tracking {

    /** Namespaces whose near copies are dropped through Redis client tracking, comma-separated. */
    private String namespaces;

    public String getNamespaces() {
      return namespaces;
    }

    public void setNamespaces(String namespaces) {
      this.namespaces = namespaces;
    }
  }

  /** The settings of every cache ({@code distcache.defaults.*}). */
  public static class CacheSettings {

    private final Near near = new Near();
    /** Nodes serving misses: master, replica or replicaPreferred. Default replicaPreferred. */
    private String readFrom;
    /** Value codec; only kryo exists. Default kryo. */
    private String codec;
    /** Serialized values of at least this size are LZ4-compressed, e.g. 8KiB. Default 4096. */
    private String compressionThreshold;
    /** Time one Redis command may take before the cache operation fails, e.g. 500ms. Default 2s. */
    private String commandTimeout;
    /** JSR-107 store-by-value: the near cache hands out copies. Default true. */
    private Boolean storeByValue;
    /** JSR-107 statistics. Default false. */
    private Boolean statistics;
    /** JSR-107 configuration MXBean. Default false. */
    private Boolean management;
    /** Fully qualified key class of a declared cache. Default java.lang.Object. */
    private String keyType;
    /** Fully qualified value class of a declared cache. Default java.lang.Object. */
    private String valueType;
    /** Operations that take the per-key lease across CacheManagers: auto, writes, loads or all. Default auto. */
    private String lease;

    public Near getNear() {
      return near;
    }

    public String getReadFrom() {
      return readFrom;
    }

    public void setReadFrom(String readFrom) {
      this.readFrom = readFrom;
    }

    public String getCodec() {
      return codec;
    }

    public void setCodec(String codec) {
      this.codec = codec;
    }

    public String getCompressionThreshold() {
      return compressionThreshold;
    }

    public void setCompressionThreshold(String compressionThreshold) {
      this.compressionThreshold = compressionThreshold;
    }

    public String getCommandTimeout() {
      return commandTimeout;
    }

    public void setCommandTimeout(String commandTimeout) {
      this.commandTimeout = commandTimeout;
    }

    public Boolean getStoreByValue() {
      return storeByValue;
    }

    public void setStoreByValue(Boolean storeByValue) {
      this.storeByValue = storeByValue;
    }

    public Boolean getStatistics() {
      return statistics;
    }

    public void setStatistics(Boolean statistics) {
      this.statistics = statistics;
    }

    public Boolean getManagement() {
      return management;
    }

    public void setManagement(Boolean management) {
      this.management = management;
    }

    public String getKeyType() {
      return keyType;
    }

    public void setKeyType(String keyType) {
      this.keyType = keyType;
    }

    public String getValueType() {
      return valueType;
    }

    public void setValueType(String valueType) {
      this.valueType = valueType;
    }

    public String getLease() {
      return lease;
    }

    public void setLease(String lease) {
      this.lease = lease;
    }
  }

  /** The settings of one declared cache ({@code distcache.cache[name].*}). */
  public static class NamedCacheSettings extends CacheSettings {

    /** Redis namespace the cache reads and writes, e.g. one a producer fills. Default: derived from its name. */
    private String namespace;

    public String getNamespace() {
      return namespace;
    }

    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }
  }

  /** The in-JVM near cache. */
  public static class Near {

    /** Most entries in the near cache; 0 keeps none. Default 10000. */
    private Long maxItems;
    /** Most serialized bytes in the near cache, e.g. 256MiB. Default 64MiB. */
    private String maxBytes;
    /** Longest life of a near entry even without invalidation, e.g. 5m. Default 10m. */
    private String maxTtl;
    /** Whether misses Redis confirmed are remembered: auto (producer namespaces only), on or off. Default auto. */
    private String negativeCaching;
    /** What the cache loads into its near cache when it starts: none or all. Default none. */
    private String preload;
    /** How long creating the cache waits for its preload, e.g. 30s; 0 does not wait. Default 0. */
    private String preloadWait;
    /** Directory of the cache's near-cache snapshot, served at a start while Redis is down. Default none. */
    private String snapshotDir;
    /** How often the snapshot is written, e.g. 30s. Default 1m. */
    private String snapshotInterval;

    public Long getMaxItems() {
      return maxItems;
    }

    public void setMaxItems(Long maxItems) {
      this.maxItems = maxItems;
    }

    public String getMaxBytes() {
      return maxBytes;
    }

    public void setMaxBytes(String maxBytes) {
      this.maxBytes = maxBytes;
    }

    public String getMaxTtl() {
      return maxTtl;
    }

    public void setMaxTtl(String maxTtl) {
      this.maxTtl = maxTtl;
    }

    public String getNegativeCaching() {
      return negativeCaching;
    }

    public void setNegativeCaching(String negativeCaching) {
      this.negativeCaching = negativeCaching;
    }

    public String getPreload() {
      return preload;
    }

    public void setPreload(String preload) {
      this.preload = preload;
    }

    public String getPreloadWait() {
      return preloadWait;
    }

    public void setPreloadWait(String preloadWait) {
      this.preloadWait = preloadWait;
    }

    public String getSnapshotDir() {
      return snapshotDir;
    }

    public void setSnapshotDir(String snapshotDir) {
      this.snapshotDir = snapshotDir;
    }

    public String getSnapshotInterval() {
      return snapshotInterval;
    }

    public void setSnapshotInterval(String snapshotInterval) {
      this.snapshotInterval = snapshotInterval;
    }
  }
}
