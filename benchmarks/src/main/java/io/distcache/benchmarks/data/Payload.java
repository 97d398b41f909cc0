package io.distcache.benchmarks.data;

import java.io.Serializable;
import java.util.Objects;

/**
 * The value every benchmark row caches: a mutable customer record of about 200 bytes in Kryo form.
 *
 * <p>Mutable on purpose: store-by-value caches must copy it, which is what the by-value rows measure.
 * {@link Serializable} because Caffeine's and Ehcache's JCache copy values with Java serialization.
 */
public final class Payload implements Serializable {

  private static final long serialVersionUID = 1L;

  private long id;
  private String name;
  private String email;
  private String street;
  private String city;
  private String country;
  private String note;
  private int age;
  private long createdAtMillis;
  private double balance;
  private boolean active;

  /** An empty record, for codecs that instantiate through the no-argument constructor. */
  public Payload() {
    // fields are filled by the codec
  }

  /** The deterministic record number {@code i} of the data set; {@code revision} varies it for updates. */
  public static Payload sample(int i, int revision) {
    Payload payload = new Payload();
    payload.id = 1_000_000L + i;
    payload.name = "Customer " + String.format("%06d", i);
    payload.email = "customer" + i + "@example-mail.com";
    payload.street = (i % 997) + " Benchmark Avenue, Apt " + (i % 53);
    payload.city = "Springfield-" + (i % 100);
    payload.country = "NL";
    payload.note = "revision " + revision + "; preferred contact by e-mail, weekdays";
    payload.age = 18 + i % 70;
    payload.createdAtMillis = 1_700_000_000_000L + i * 1_000L;
    payload.balance = i * 3.25;
    payload.active = i % 3 != 0;
    return payload;
  }

  /** The record number this value was made from. */
  public long id() {
    return id;
  }

  /** The note, which changes with the revision. */
  public String note() {
    return note;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Payload that
        && id == that.id && age == that.age && createdAtMillis == that.createdAtMillis
        && Double.compare(balance, that.balance) == 0 && active == that.active
        && Objects.equals(name, that.name) && Objects.equals(email, that.email)
        && Objects.equals(street, that.street) && Objects.equals(city, that.city)
        && Objects.equals(country, that.country) && Objects.equals(note, that.note);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return "Payload[id=" + id + "]";
  }
}
