package io.distcache.jcache.hibernate.model;

import jakarta.persistence.Embeddable;
import java.io.Serializable;

/** The composite id of {@link Ledger}. */
@Embeddable
public class LedgerId implements Serializable {

  private static final long serialVersionUID = 1L;

  private String region;

  private long number;
}
