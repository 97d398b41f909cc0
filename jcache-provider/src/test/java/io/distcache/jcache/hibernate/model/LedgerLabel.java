package io.distcache.jcache.hibernate.model;

/** The map key type of {@link Ledger}'s notes. */
public enum LedgerLabel {
  AUDIT, REMARK
}
