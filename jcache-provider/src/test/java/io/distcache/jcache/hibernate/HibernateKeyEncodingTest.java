package io.distcache.jcache.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.KeyEncoder;
import io.distcache.protocol.codec.KeyEncodings;
import io.distcache.protocol.codec.KryoValueCodec;
import java.util.List;
import org.hibernate.cache.internal.BasicCacheKeyImplementation;
import org.hibernate.cache.internal.CacheKeyImplementation;
import org.hibernate.cache.internal.NaturalIdCacheKey;
import org.junit.jupiter.api.Test;

/**
 * Hibernate's keys carry a hash code computed when they were made; another JVM computes another one for
 * enum parts. The tests build "the other JVM's" key with the package-internal constructors that take the
 * hash, as Hibernate's own deserialization would.
 */
class HibernateKeyEncodingTest {

  private final KeyEncoder keys = new KeyEncoder(new KryoValueCodec(
      ClassAllowList.defaults().withPackages(List.of("io.distcache.jcache.hibernate.")), 0,
      getClass().getClassLoader()));

  enum Region { NORTH, SOUTH }

  @Test
  void isInstalledThroughServiceLoaderAndAllowsHibernateCacheEntries() {
    assertThat(KeyEncodings.installed().encodings()).hasAtLeastOneElementOfType(HibernateKeyEncoding.class);
    assertThat(KeyEncodings.installed().allowedPackages()).contains("org.hibernate.cache.");
  }

  @Test
  void naturalIdKeysWithAnEnumPartEncodeAlikeWhateverTheirHash() {
    Object[] values = {Region.NORTH, "ACME-1"};
    NaturalIdCacheKey here = new NaturalIdCacheKey(values.clone(), "com.acme.Shop", null, 12345);
    NaturalIdCacheKey elsewhere = new NaturalIdCacheKey(values.clone(), "com.acme.Shop", null, -777);

    String text = keys.encode(here);

    assertThat(text).startsWith("h:").isEqualTo(keys.encode(elsewhere));
    int localHash = 37 * Region.NORTH.hashCode() + "ACME-1".hashCode();
    assertThat(keys.decode(text)).isEqualTo(new NaturalIdCacheKey(values.clone(), "com.acme.Shop", null, localHash))
        .extracting(Object::hashCode).isEqualTo(localHash);
  }

  @Test
  void differentNaturalIdsOrTenantsEncodeDifferently() {
    NaturalIdCacheKey north = new NaturalIdCacheKey(new Object[] {Region.NORTH, "A"}, "com.acme.Shop", null, 1);
    NaturalIdCacheKey south = new NaturalIdCacheKey(new Object[] {Region.SOUTH, "A"}, "com.acme.Shop", null, 1);
    NaturalIdCacheKey tenant = new NaturalIdCacheKey(new Object[] {Region.NORTH, "A"}, "com.acme.Shop", "t1", 1);

    assertThat(keys.encode(north)).isNotEqualTo(keys.encode(south)).isNotEqualTo(keys.encode(tenant));
  }

  @Test
  void basicEntityKeysRoundTripWithTheirHash() {
    BasicCacheKeyImplementation key = new BasicCacheKeyImplementation(42L, "com.acme.Author", Long.hashCode(42L));

    Object decoded = keys.decode(keys.encode(key));

    assertThat(decoded).isInstanceOf(BasicCacheKeyImplementation.class).isEqualTo(key)
        .hasSameHashCodeAs(key);
  }

  @Test
  void compositeAndTenantKeysRoundTripWithTheComponentHash() {
    Object[] id = {7L, "line-1"};
    int componentHash = 37 * (37 * 17 + Long.hashCode(7L)) + "line-1".hashCode();
    CacheKeyImplementation composite = new CacheKeyImplementation(id, "com.acme.OrderLine", null, 31 * componentHash);
    CacheKeyImplementation tenant = new CacheKeyImplementation(5L, "com.acme.Author", "t1",
        31 * Long.hashCode(5L) + "t1".hashCode());

    assertThat(keys.decode(keys.encode(composite))).isEqualTo(composite).hasSameHashCodeAs(composite);
    assertThat(keys.decode(keys.encode(tenant))).isEqualTo(tenant).hasSameHashCodeAs(tenant);
  }

  @Test
  void otherKeysKeepTheirEncodings() {
    assertThat(keys.encode("default-update-timestamps-region")).isEqualTo("s:default-update-timestamps-region");
    assertThat(keys.encode(42L)).isEqualTo("l:42");
  }

  @Test
  void hashesAreHibernatesArraysByContent() {
    assertThat(HibernateKeyEncoding.hash(new byte[] {1, 2})).isEqualTo(java.util.Arrays.hashCode(new byte[] {1, 2}));
    assertThat(HibernateKeyEncoding.hash(new char[] {'a'})).isEqualTo(java.util.Arrays.hashCode(new char[] {'a'}));
    assertThat(HibernateKeyEncoding.hash(new Object[] {"a", new int[] {1}}))
        .isEqualTo(java.util.Arrays.deepHashCode(new Object[] {"a", new int[] {1}}));
    assertThat(HibernateKeyEncoding.hash("a")).isEqualTo("a".hashCode());
  }

  @Test
  void aSingleValueNaturalIdOfATenantRoundTripsWithHibernatesHash() {
    NaturalIdCacheKey key = new NaturalIdCacheKey("ACME-1", "com.acme.Shop", "t1", 1);
    int hibernateHash = 37 * "t1".hashCode() + "ACME-1".hashCode();
    assertThat(keys.decode(keys.encode(key))).isEqualTo(new NaturalIdCacheKey("ACME-1", "com.acme.Shop", "t1",
        hibernateHash)).extracting(Object::hashCode).isEqualTo(hibernateHash);
  }
}
