package io.distcache.it.hibernate.model;

import jakarta.persistence.Embeddable;
import java.io.Serializable;
import java.util.Objects;

/** A composite id. */
@Embeddable
public class OrderLineId implements Serializable {

  private Long orderId;
  private Integer lineNo;

  protected OrderLineId() {
  }

  public OrderLineId(Long orderId, Integer lineNo) {
    this.orderId = orderId;
    this.lineNo = lineNo;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OrderLineId that && Objects.equals(orderId, that.orderId)
        && Objects.equals(lineNo, that.lineNo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(orderId, lineNo);
  }
}
