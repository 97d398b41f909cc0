package io.distcache.jcache.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.jcache.configuration.ConfigurationException;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.Factory;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import org.junit.jupiter.api.Test;

/** The policy a cache's factory creates, turned into the TTLs the scripts take. */
class ExpiryCalculatorTest {

  @Test
  void aFactoryThatCreatesNoPolicyIsRefusedNamingTheCache() {
    Factory<ExpiryPolicy> none = () -> null;

    assertThatThrownBy(() -> ExpiryCalculator.create("users", none))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("cache 'users'")
        .hasMessageContaining("created no policy");
  }

  @Test
  void theCreatedPolicyGivesTheTtls() {
    ExpiryCalculator eternal = ExpiryCalculator.create("users", EternalExpiryPolicy.factoryOf());
    ExpiryCalculator minute = ExpiryCalculator.create("users",
        CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 60)));

    assertThat(eternal.isEternal()).isTrue();
    assertThat(minute.isEternal()).isFalse();
    assertThat(minute.policy()).isInstanceOf(CreatedExpiryPolicy.class);
  }
}
