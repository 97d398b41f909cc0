/**
 * Hibernate ORM second-level cache support, active when Hibernate is on the class path.
 *
 * <ul>
 *   <li>{@link io.distcache.jcache.hibernate.HibernateKeyEncoding} — Redis keys for Hibernate's cache keys that are
 *       equal on every JVM, although the keys carry identity-based hash codes; and the allow-list entry for
 *       Hibernate's cache entry classes.</li>
 *   <li>{@link io.distcache.jcache.hibernate.DomainModelIntegrator} — registers the mapped domain classes with the
 *       codec when a SessionFactory starts, so the second-level cache needs no allow-list setting.</li>
 * </ul>
 *
 * <p>Hibernate is an optional dependency of the provider: nothing here is loaded without it.
 */
package io.distcache.jcache.hibernate;
