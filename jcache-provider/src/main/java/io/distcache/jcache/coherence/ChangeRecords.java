package io.distcache.jcache.coherence;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reads change-log records from the fields of their stream entries (docs/design.md, section 3, "Change log"). */
final class ChangeRecords {

  private ChangeRecords() {
  }

  /**
   * The record of a stream entry, or {@code null} when it lacks a key {@code k} or a version {@code v} of ASCII
   * digits.
   *
   * @param fields the entry's fields: {@code k}, {@code v}, and for a switch record {@code g} and {@code s}
   * @param id the entry's stream id, whose time part is the record's commit time
   */
  static ChangeRecord parse(Map<String, byte[]> fields, String id) {
    byte[] key = fields.get("k");
    byte[] version = fields.get("v");
    long parsed = version == null ? -1 : parseVersion(version);
    if (key == null || parsed < 0) {
      return null;
    }
    byte[] generation = fields.get("g");
    byte[] space = fields.get("s");
    return new ChangeRecord(new String(key, StandardCharsets.UTF_8), parsed,
        generation == null ? null : new String(generation, StandardCharsets.UTF_8),
        space == null ? null : new String(space, StandardCharsets.UTF_8), StreamIds.millis(id));
  }

  /** A version written as ASCII digits, or -1 when it is not one. */
  static long parseVersion(byte[] digits) {
    try {
      return Long.parseLong(new String(digits, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
