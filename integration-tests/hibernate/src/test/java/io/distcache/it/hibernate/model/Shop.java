package io.distcache.it.hibernate.model;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;
import org.hibernate.annotations.NaturalId;
import org.hibernate.annotations.NaturalIdCache;

/** A READ_WRITE entity with a cached, mutable natural id that has an enum part. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
@NaturalIdCache
public class Shop {

  @Id
  private Long id;

  @NaturalId(mutable = true)
  @Enumerated(EnumType.STRING)
  private Region region;

  @NaturalId(mutable = true)
  private String code;

  private String name;

  protected Shop() {
  }

  public Shop(Long id, Region region, String code, String name) {
    this.id = id;
    this.region = region;
    this.code = code;
    this.name = name;
  }

  public Long getId() {
    return id;
  }

  public Region getRegion() {
    return region;
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
