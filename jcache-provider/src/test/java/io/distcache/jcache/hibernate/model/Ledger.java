package io.distcache.jcache.hibernate.model;

import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.MapKeyColumn;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** A test entity whose mapping holds every kind of value the integrator descends into. */
@Entity
public class Ledger {

  @EmbeddedId
  private LedgerId id;

  @Embedded
  private Stamp stamp;

  private BigDecimal balance;

  private int revision;

  @ElementCollection
  private List<Stamp> history;

  @ElementCollection
  @MapKeyColumn(name = "label")
  private Map<LedgerLabel, String> notes;
}
