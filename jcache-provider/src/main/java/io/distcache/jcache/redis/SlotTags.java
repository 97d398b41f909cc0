package io.distcache.jcache.redis;

import io.lettuce.core.cluster.SlotHash;

/**
 * A short hash tag for each Redis Cluster slot: a key holding {@code {<tag>}} lives in that slot, so a key can
 * be placed next to another key that has no tag of its own (an entry's lease next to the entry).
 */
final class SlotTags {

  private static final String[] TAGS = build();

  private SlotTags() {
  }

  /** The tag of {@code slot} (0 to 16383). */
  static String forSlot(int slot) {
    return TAGS[slot];
  }

  /** Counts up in base 36 until every slot has a tag: about 170,000 CRC16s, once per JVM that uses a cluster. */
  private static String[] build() {
    String[] tags = new String[SlotHash.SLOT_COUNT];
    int missing = tags.length;
    for (int candidate = 0; missing > 0; candidate++) {
      String tag = Integer.toString(candidate, 36);
      int slot = SlotHash.getSlot(tag);
      if (tags[slot] == null) {
        tags[slot] = tag;
        missing--;
      }
    }
    return tags;
  }
}
