package io.distcache.producer.sink;

import io.distcache.protocol.sabotage.Sabotage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the {@code ARGV} of a sink script, in the layouts {@code library.lua} documents. */
final class ScriptArguments {

  /** Entry writes per script call: large enough to amortise the call, small enough not to stall Redis. */
  static final int CHUNK = 500;

  /** The meta hash field holding a partition's next offset is this prefix plus the partition number. */
  static final String OFFSET_FIELD = "offset:";
  /** The meta hash field naming the member of a consumer group that owns a partition, see {@code own.lua}. */
  static final String OWNER_FIELD = "owner:";
  /** The owner token fenced on for a partition this instance does not own: no owner field ever holds it. */
  static final String NOT_OWNED = "-";

  private final List<byte[]> values = new ArrayList<>();

  ScriptArguments add(byte[] value) {
    values.add(value);
    return this;
  }

  ScriptArguments add(String text) {
    return add(utf8(text));
  }

  ScriptArguments add(long number) {
    return add(Long.toString(number));
  }

  /** The offset moves as {@code fence} reads them: their number, then field, expected offset and next offset each. */
  ScriptArguments moves(Map<Integer, OffsetMove> moves) {
    return moves(moves, OFFSET_FIELD);
  }

  /** The offset moves as {@link #moves(Map)} writes them, on the meta fields {@code <fieldPrefix><partition>}. */
  ScriptArguments moves(Map<Integer, OffsetMove> moves, String fieldPrefix) {
    add(moves.size());
    return offsetTriples(moves, fieldPrefix);
  }

  /**
   * The offset moves of a member of a consumer group ({@code owners} not {@code null}): after the triples of
   * {@link #moves(Map)}, one per moved partition that fences it on its owner field, which must hold the token
   * this member holds for it, and which the move leaves as it is. A batch of a member that lost a partition to
   * another thus changes nothing.
   *
   * @param owners the owner token this instance holds per partition, {@code null} when it writes alone
   */
  ScriptArguments moves(Map<Integer, OffsetMove> moves, Map<Integer, String> owners) {
    if (owners == null || Sabotage.IGNORE_PARTITION_OWNERS.isActive()) {
      return moves(moves);
    }
    add(2L * moves.size());
    offsetTriples(moves, OFFSET_FIELD);
    for (Integer partition : moves.keySet()) {
      String owner = owners.getOrDefault(partition, NOT_OWNED);
      add(OWNER_FIELD + partition).add(owner).add(owner);
    }
    return this;
  }

  private ScriptArguments offsetTriples(Map<Integer, OffsetMove> moves, String fieldPrefix) {
    moves.forEach((partition, move) -> {
      add(fieldPrefix + partition);
      add(move.expected() == null ? "" : Long.toString(move.expected()));
      add(move.next());
    });
    return this;
  }

  /** The writes as {@code apply} reads them: version, envelope and encoded cache key each. */
  ScriptArguments writes(List<EntryWrite> writes) {
    for (EntryWrite write : writes) {
      add(write.version()).add(write.envelope()).add(write.encodedKey());
    }
    return this;
  }

  byte[][] toArray() {
    return values.toArray(byte[][]::new);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The text of a reply's bytes, {@code null} for none. */
  static String text(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }
}
