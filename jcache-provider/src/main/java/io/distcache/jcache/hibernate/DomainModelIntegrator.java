package io.distcache.jcache.hibernate;

import io.distcache.protocol.codec.DomainClasses;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.mapping.Collection;
import org.hibernate.mapping.Component;
import org.hibernate.mapping.IndexedCollection;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.mapping.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teaches the codec the classes of a Hibernate domain model when a SessionFactory starts, so the
 * second-level cache needs no {@code codec.allowed-packages}: entities, embeddables (composite ids included)
 * and the Java types of every attribute, collection element and map key. Hibernate finds this integrator
 * through {@code ServiceLoader}; without Hibernate it is never loaded.
 */
public final class DomainModelIntegrator implements Integrator {

  private static final Logger LOG = LoggerFactory.getLogger(DomainModelIntegrator.class);

  @Override
  public void integrate(Metadata metadata, BootstrapContext bootstrapContext,
      SessionFactoryImplementor sessionFactory) {
    Set<String> classes = new LinkedHashSet<>();
    for (PersistentClass entity : metadata.getEntityBindings()) {
      if (entity.getClassName() != null) {
        classes.add(entity.getClassName());
      }
      addValue(entity.getIdentifier(), classes);
      if (entity.getIdentifierMapper() != null) {
        addValue(entity.getIdentifierMapper(), classes);
      }
      for (Property property : entity.getPropertyClosure()) {
        addValue(property.getValue(), classes);
      }
    }
    for (Collection collection : metadata.getCollectionBindings()) {
      addValue(collection, classes);
    }
    DomainClasses.register(classes);
    LOG.debug("allowed the {} classes of the Hibernate domain model in the distcache codec: {}", classes.size(),
        classes);
  }

  /** Adds the Java types a mapped value can put into the cache, descending into embeddables and collections. */
  private static void addValue(Value value, Set<String> classes) {
    if (value == null) {
      return;
    }
    if (value instanceof Component component) {
      if (component.getComponentClassName() != null) {
        classes.add(component.getComponentClassName());
      }
      component.getProperties().forEach(property -> addValue(property.getValue(), classes));
      return;
    }
    if (value instanceof Collection collection) {
      addValue(collection.getElement(), classes);
      if (collection instanceof IndexedCollection indexed) {
        addValue(indexed.getIndex(), classes);
      }
      return;
    }
    try {
      Class<?> type = value.getType().getReturnedClass();
      if (type != null && !type.isPrimitive()) {
        classes.add(type.getName());
      }
    } catch (RuntimeException e) {
      // A value whose type Hibernate cannot resolve yet holds nothing the cache could receive from it.
      LOG.debug("skipped a mapped value whose type is not resolved: {}", e.toString());
    }
  }
}
