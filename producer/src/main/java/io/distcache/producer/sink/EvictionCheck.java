package io.distcache.producer.sink;

import io.distcache.producer.config.ProducerConfigurationException;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a Redis whose {@code maxmemory-policy} may evict any key ({@code allkeys-*}): it would evict
 * meta hashes (generation, claim, offsets), change logs and tombstones, and a namespace would then
 * silently miss rows or take back deleted ones. Entries never expire, so the {@code volatile-*} policies
 * only shorten tombstones, which the version rule tolerates. Checked once, when Redis first answers.
 */
public final class EvictionCheck {

  private static final Logger LOG = LoggerFactory.getLogger(EvictionCheck.class);

  private final RedisTarget target;
  private final boolean allowed;
  private boolean passed;

  /**
   * @param allowed {@code redis.allow-allkeys-eviction}: accept such a policy with a warning
   */
  public EvictionCheck(RedisTarget target, boolean allowed) {
    this.target = Objects.requireNonNull(target, "target");
    this.allowed = allowed;
  }

  /**
   * Checks every master unless a check passed before.
   *
   * @throws ProducerConfigurationException when a master evicts any key and that is not allowed
   * @throws SinkUnavailableException when Redis cannot be reached
   */
  public synchronized void verify() {
    if (passed) {
      return;
    }
    for (Map.Entry<String, String> node : target.evictionPolicies().entrySet()) {
      if (node.getValue().startsWith("allkeys-")) {
        String problem = "Redis at " + node.getKey() + " has maxmemory-policy " + node.getValue() + ", which may evict"
            + " the producer's meta hashes, change logs and tombstones and so lose or resurrect rows";
        if (!allowed) {
          throw new ProducerConfigurationException(problem + "; set maxmemory-policy to noeviction (or a volatile-*"
              + " policy), or redis.allow-allkeys-eviction = true to accept the risk");
        }
        LOG.warn("{}; accepted because redis.allow-allkeys-eviction = true", problem);
      }
    }
    passed = true;
  }
}
