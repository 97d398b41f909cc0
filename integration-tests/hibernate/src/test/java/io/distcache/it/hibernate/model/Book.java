package io.distcache.it.hibernate.model;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A NONSTRICT_READ_WRITE entity. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.NONSTRICT_READ_WRITE)
public class Book {

  @Id
  private Long id;
  private String title;
  private Dimensions dimensions;

  @ManyToOne
  private Author author;

  protected Book() {
  }

  public Book(Long id, String title, Author author) {
    this.id = id;
    this.title = title;
    this.author = author;
    this.dimensions = new Dimensions(135, 210);
  }

  public Long getId() {
    return id;
  }

  public String getTitle() {
    return title;
  }

  public void setTitle(String title) {
    this.title = title;
  }

  public Dimensions getDimensions() {
    return dimensions;
  }

  public Author getAuthor() {
    return author;
  }
}
