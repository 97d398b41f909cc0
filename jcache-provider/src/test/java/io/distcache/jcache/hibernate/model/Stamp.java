package io.distcache.jcache.hibernate.model;

import jakarta.persistence.Embeddable;
import java.time.Instant;

/** An embeddable of {@link Ledger}, also the element of a collection. */
@Embeddable
public class Stamp {

  private Instant at;

  private String by;
}
