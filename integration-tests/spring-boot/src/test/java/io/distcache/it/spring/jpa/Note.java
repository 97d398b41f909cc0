package io.distcache.it.spring.jpa;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A cached entity. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Note {

  @Id
  private Long id;
  private String text;

  protected Note() {
  }

  public Note(Long id, String text) {
    this.id = id;
    this.text = text;
  }

  public String getText() {
    return text;
  }
}
