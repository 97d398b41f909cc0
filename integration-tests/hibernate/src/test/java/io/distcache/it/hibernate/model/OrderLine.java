package io.distcache.it.hibernate.model;

import jakarta.persistence.Cacheable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A READ_WRITE entity with a composite id. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class OrderLine {

  @EmbeddedId
  private OrderLineId id;
  private int quantity;

  protected OrderLine() {
  }

  public OrderLine(OrderLineId id, int quantity) {
    this.id = id;
    this.quantity = quantity;
  }

  public int getQuantity() {
    return quantity;
  }

  public void setQuantity(int quantity) {
    this.quantity = quantity;
  }
}
