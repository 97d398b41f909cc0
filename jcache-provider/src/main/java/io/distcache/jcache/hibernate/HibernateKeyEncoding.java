package io.distcache.jcache.hibernate;

import io.distcache.protocol.codec.KeyEncoding;
import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.hibernate.cache.internal.BasicCacheKeyImplementation;
import org.hibernate.cache.internal.CacheKeyImplementation;
import org.hibernate.cache.internal.NaturalIdCacheKey;
import org.hibernate.cache.spi.QueryKey;

/**
 * Encodes the keys Hibernate ORM 7's {@code DefaultCacheKeysFactory} and query cache create, from the values
 * that make them equal rather than from their serialized form.
 *
 * <p>Why: {@link NaturalIdCacheKey} and {@link CacheKeyImplementation} store a hash code computed when they were
 * created, and {@link QueryKey}'s parameter memento does too; for enum values that hash is the JVM's identity
 * hash, so the serialized bytes of equal keys differ between JVMs, and two nodes would never share an entry
 * (nor see each other's invalidations). This encoding writes the public parts (region role or entity name,
 * tenant, disassembled id, natural-id values; for query keys the SQL, limits, filter names and bound values),
 * enums by name.
 *
 * <p>Decoding rebuilds an equal key with the hash code Hibernate computes in this JVM for basic-typed values
 * ({@code value.hashCode()}, combined as Hibernate combines them for composite ids, compound natural ids and
 * query parameters), so change-log records find the near-cache entries of this JVM. A key whose values Hibernate
 * hashes otherwise (a custom {@code JavaType} or {@code UserType} hash) decodes unequal, and a change-log record
 * for it cannot drop the near copy: for a query key that only costs a miss (Hibernate checks each cached result
 * against the update-timestamps region); regions with such ids should keep no near copy
 * ({@code near.max-items=0}), as strict regions do anyway.
 *
 * <p>Parts, by kind ({@link #tag()} {@code h}): entity or collection key {@code ["k", role, tenant, id]};
 * natural id {@code ["n", entity, tenant, values]}; query {@code ["q", sql, firstRow, maxRows, filterNames,
 * boundValues]}.
 */
public final class HibernateKeyEncoding implements KeyEncoding {

  private static final String ENTITY = "k";
  private static final String NATURAL_ID = "n";
  private static final String QUERY = "q";

  /** Creates the encoding (found by {@link java.util.ServiceLoader}). */
  public HibernateKeyEncoding() {
    // touch a Hibernate class now, so discovery skips this encoding when Hibernate is absent
    Objects.requireNonNull(QueryKey.class);
  }

  @Override
  public char tag() {
    return 'h';
  }

  @Override
  public boolean handles(Object key) {
    return key instanceof BasicCacheKeyImplementation || key instanceof CacheKeyImplementation
        || key instanceof NaturalIdCacheKey || key instanceof QueryKey;
  }

  @Override
  public Object[] parts(Object key) {
    if (key instanceof BasicCacheKeyImplementation basic) {
      return new Object[] {ENTITY, basic.getEntityOrRoleName(), null, basic.getId()};
    }
    if (key instanceof CacheKeyImplementation full) {
      return new Object[] {ENTITY, full.getEntityOrRoleName(), full.getTenantId(), full.getId()};
    }
    if (key instanceof NaturalIdCacheKey naturalId) {
      return new Object[] {NATURAL_ID, naturalId.getEntityName(), naturalId.getTenantId(),
          naturalId.getNaturalIdValues()};
    }
    if (key instanceof QueryKey query) {
      return QueryKeys.ACCESS.parts(query);
    }
    throw new IllegalArgumentException("not a Hibernate cache key: " + key.getClass().getName());
  }

  @Override
  public Object key(Object[] parts) {
    if (parts.length == 4 && ENTITY.equals(parts[0])) {
      return entityKey((String) parts[1], (String) parts[2], parts[3]);
    }
    if (parts.length == 4 && NATURAL_ID.equals(parts[0])) {
      String tenant = (String) parts[2];
      return new NaturalIdCacheKey(parts[3], (String) parts[1], tenant, naturalIdHash(parts[3], tenant));
    }
    if (parts.length == 6 && QUERY.equals(parts[0])) {
      return QueryKeys.ACCESS.key(parts);
    }
    throw new IllegalArgumentException("not the parts of a Hibernate cache key: " + Arrays.deepToString(parts));
  }

  /**
   * Hibernate's cache entries, soft locks, query results and keys live in {@code org.hibernate.cache.}; a query
   * key holds a parameter memento nested in {@code QueryParameterBindingsImpl} (copied for the near cache).
   */
  @Override
  public List<String> allowedPackages() {
    return List.of("org.hibernate.cache.", "org.hibernate.query.internal.QueryParameterBindingsImpl$");
  }

  /** As {@code DefaultCacheKeysFactory}: the basic key without tenant for a simple id, the full key otherwise. */
  private static Object entityKey(String role, String tenant, Object id) {
    if (tenant == null && !id.getClass().isArray()) {
      return new BasicCacheKeyImplementation((Serializable) id, role, hash(id));
    }
    int idHash = id instanceof Object[] components ? componentHash(components) : hash(id);
    return new CacheKeyImplementation(id, role, tenant, 31 * idHash + (tenant == null ? 0 : tenant.hashCode()));
  }

  /** {@code ComponentType.getHashCode} over the disassembled properties of a composite id. */
  private static int componentHash(Object[] components) {
    int result = 17;
    for (Object component : components) {
      result *= 37;
      if (component != null) {
        result += hash(component);
      }
    }
    return result;
  }

  /**
   * {@code NaturalIdCacheKey.NaturalIdCacheKeyBuilder}: the tenant's hash (when there is a tenant), then
   * {@code 37 * hash + valueHash} for each disassembled value.
   */
  private static int naturalIdHash(Object values, String tenant) {
    int result = tenant == null ? 0 : tenant.hashCode();
    if (!(values instanceof Object[] parts)) {
      return 37 * result + (values == null ? 0 : hash(values));
    }
    for (Object value : parts) {
      result = 37 * result + (value == null ? 0 : hash(value));
    }
    return result;
  }

  /** What Hibernate's basic {@code JavaType.extractHashCode} returns: arrays by content. */
  static int hash(Object value) {
    if (value instanceof Object[] array) {
      return Arrays.deepHashCode(array);
    }
    if (value instanceof byte[] bytes) {
      return Arrays.hashCode(bytes);
    }
    if (value instanceof char[] chars) {
      return Arrays.hashCode(chars);
    }
    return value.hashCode();
  }

  /** Created on first use, so a Hibernate whose query keys changed still gets entity and natural-id keys. */
  private static final class QueryKeys {
    static final QueryKeyAccess ACCESS = new QueryKeyAccess();
  }

  /**
   * Reads and rebuilds {@link QueryKey}s, whose parts Hibernate 7 keeps in private fields and whose parameter
   * memento has a private constructor; Hibernate is on the class path, so its members are accessible.
   */
  private static final class QueryKeyAccess {

    private final MethodHandle sql;
    private final MethodHandle firstRow;
    private final MethodHandle maxRows;
    private final MethodHandle filterNames;
    private final MethodHandle memento;
    private final MethodHandle mementoValues;
    private final MethodHandle newMemento;

    QueryKeyAccess() {
      try {
        MethodHandles.Lookup keys = MethodHandles.privateLookupIn(QueryKey.class, MethodHandles.lookup());
        sql = keys.findGetter(QueryKey.class, "sqlQueryString", String.class);
        firstRow = keys.findGetter(QueryKey.class, "firstRow", Integer.class);
        maxRows = keys.findGetter(QueryKey.class, "maxRows", Integer.class);
        filterNames = keys.findGetter(QueryKey.class, "enabledFilterNames", String[].class);
        memento = keys.findGetter(QueryKey.class, "parameterBindingsMemento", QueryKey.ParameterBindingsMemento.class);
        Class<?> mementoType = Class.forName(
            "org.hibernate.query.internal.QueryParameterBindingsImpl$ParameterBindingsMementoImpl", false,
            QueryKey.class.getClassLoader());
        MethodHandles.Lookup mementos = MethodHandles.privateLookupIn(mementoType, MethodHandles.lookup());
        mementoValues = mementos.findGetter(mementoType, "values", Object[].class)
            .asType(MethodType.methodType(Object[].class, QueryKey.ParameterBindingsMemento.class));
        newMemento = mementos.findConstructor(mementoType, MethodType.methodType(void.class, Object[].class, int.class))
            .asType(MethodType.methodType(QueryKey.ParameterBindingsMemento.class, Object[].class, int.class));
      } catch (ReflectiveOperationException | IllegalAccessError e) {
        throw new IllegalStateException("this Hibernate version's QueryKey is not the one distcache knows"
            + " (Hibernate ORM 7); use a supported Hibernate version or disable the query cache", e);
      }
    }

    Object[] parts(QueryKey key) {
      try {
        return new Object[] {QUERY, (String) sql.invokeExact(key), (Integer) firstRow.invokeExact(key),
            (Integer) maxRows.invokeExact(key), (String[]) filterNames.invokeExact(key),
            (Object[]) mementoValues.invokeExact((QueryKey.ParameterBindingsMemento) memento.invokeExact(key))};
      } catch (Throwable e) {
        throw new IllegalStateException("cannot read the parts of Hibernate query key " + key, e);
      }
    }

    QueryKey key(Object[] parts) {
      Object[] values = (Object[]) parts[5];
      int hash = 0;
      for (Object value : values) {
        // QueryParameterBindingsImpl.MutableCacheKeyImpl.addHashCode
        hash = 37 * hash + (value == null ? 0 : hash(value));
      }
      try {
        QueryKey.ParameterBindingsMemento bindings = (QueryKey.ParameterBindingsMemento) newMemento.invokeExact(
            values, hash);
        return new QueryKey((String) parts[1], bindings, (Integer) parts[2], (Integer) parts[3],
            new LinkedHashSet<>(Arrays.asList((String[]) parts[4])));
      } catch (Throwable e) {
        throw new IllegalStateException("cannot rebuild a Hibernate query key", e);
      }
    }
  }
}
