package io.distcache.jcache.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.hibernate.model.Ledger;
import io.distcache.jcache.hibernate.model.LedgerId;
import io.distcache.jcache.hibernate.model.LedgerLabel;
import io.distcache.jcache.hibernate.model.Stamp;
import io.distcache.protocol.codec.ClassAllowList;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.junit.jupiter.api.Test;

/**
 * The classes a Hibernate domain model declares reach the codec's allow-list when a SessionFactory
 * starts: entities, composite ids, embeddables, attribute types, collection elements and map keys.
 */
class DomainModelIntegratorTest {

  @Test
  void everyClassTheModelCanCacheIsAllowed() {
    ClassAllowList beforehand = ClassAllowList.defaults().withDomainClasses();
    assertThat(beforehand.allows(LedgerId.class.getName())).as("before the model is known").isFalse();

    StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
        .applySetting("hibernate.dialect", "org.hibernate.dialect.H2Dialect")
        .applySetting("hibernate.boot.allow_jdbc_metadata_access", "false")
        .build();
    try {
      Metadata metadata = new MetadataSources(registry).addAnnotatedClass(Ledger.class).buildMetadata();
      new DomainModelIntegrator().integrate(metadata, null, null);
    } finally {
      StandardServiceRegistryBuilder.destroy(registry);
    }

    ClassAllowList allowed = ClassAllowList.defaults().withDomainClasses();
    assertThat(allowed.allows(Ledger.class.getName())).as("the entity").isTrue();
    assertThat(allowed.allows(LedgerId.class.getName())).as("its composite id").isTrue();
    assertThat(allowed.allows(Stamp.class.getName())).as("an embeddable, also a collection element").isTrue();
    assertThat(allowed.allows(LedgerLabel.class.getName())).as("a map key").isTrue();
  }
}
