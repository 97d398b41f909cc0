package io.distcache.jcache.it.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** An entity-like value: JDK value types, an enum, a nested record and a list, no no-arg constructor. */
public final class Order {

  private final UUID id;
  private final BigDecimal total;
  private final LocalDate deliveryDate;
  private final Instant createdAt;
  private final OffsetDateTime paidAt;
  private final Status status;
  private final Address shipTo;
  private final List<Line> lines;

  public Order(UUID id, BigDecimal total, LocalDate deliveryDate, Instant createdAt, OffsetDateTime paidAt,
      Status status, Address shipTo, List<Line> lines) {
    this.id = id;
    this.total = total;
    this.deliveryDate = deliveryDate;
    this.createdAt = createdAt;
    this.paidAt = paidAt;
    this.status = status;
    this.shipTo = shipTo;
    this.lines = lines;
  }

  public UUID id() {
    return id;
  }

  public BigDecimal total() {
    return total;
  }

  public LocalDate deliveryDate() {
    return deliveryDate;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public OffsetDateTime paidAt() {
    return paidAt;
  }

  public Status status() {
    return status;
  }

  public Address shipTo() {
    return shipTo;
  }

  public List<Line> lines() {
    return lines;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Order that && id.equals(that.id) && total.equals(that.total)
        && deliveryDate.equals(that.deliveryDate) && createdAt.equals(that.createdAt) && paidAt.equals(that.paidAt)
        && status == that.status && shipTo.equals(that.shipTo) && lines.equals(that.lines);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, total, deliveryDate, createdAt, paidAt, status, shipTo, lines);
  }

  @Override
  public String toString() {
    return "Order{" + id + ", " + status + ", " + total + ", " + lines + '}';
  }

  /** The life cycle of an order. */
  public enum Status { NEW, PAID, SHIPPED }

  /** A postal address. */
  public record Address(String street, String city, String countryCode) {
  }

  /** One order line. */
  public record Line(String sku, int quantity, BigDecimal unitPrice) {
  }
}
