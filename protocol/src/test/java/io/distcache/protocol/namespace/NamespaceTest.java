package io.distcache.protocol.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The Redis key layout of a namespace (docs/design.md §3), key by key. */
class NamespaceTest {

  private final Namespace users = Namespace.of("dc", "users");

  @Test
  void entriesAndLeasesCarryNoDeploymentHashTag() {
    assertThat(users.entryPrefix()).isEqualTo("dc:users:k:");
    assertThat(users.entryKey("s:alice")).isEqualTo("dc:users:k:s:alice");
    assertThat(users.leaseKey("s:alice", null)).isEqualTo("dc:users:l:s:alice");
    assertThat(users.leaseKey("s:alice", "x1")).as("on a cluster: in its entry's slot")
        .isEqualTo("dc:users:l:{x1}:s:alice");
  }

  @Test
  void bookkeepingKeysShareTheDeploymentsHashTag() {
    assertThat(users.logKey()).isEqualTo("dc:{dc}:users:log");
    assertThat(users.sequenceKey()).isEqualTo("dc:{dc}:users:seq");
    assertThat(users.metaKey()).isEqualTo("dc:{dc}:users:meta");
    assertThat(Namespace.heartbeatKey("dc")).isEqualTo("dc:{dc}:hb");
  }

  @Test
  void anEntryKeyGivesBackItsEncodedKey() {
    assertThat(users.encodedKeyOf(users.entryKey("s:a:b"))).isEqualTo("s:a:b");
  }

  @Test
  void theScanPatternEscapesGlobCharactersOfThePrefix() {
    assertThat(Namespace.of("a*b?[c]\\d", "n").entryPattern()).isEqualTo("a\\*b\\?\\[c\\]\\\\d:n:k:*");
    assertThat(users.entryPattern()).isEqualTo("dc:users:k:*");
  }

  @Test
  void escapingKeepsSafeCharactersAndPercentEncodesEveryOtherByte() {
    assertThat(Namespace.escape("az.AZ_09-")).isEqualTo("az.AZ_09-");
    assertThat(Namespace.escape("a:b{c}")).isEqualTo("a%3Ab%7Bc%7D");
    assertThat(Namespace.escape("é ")).as("UTF-8 bytes, upper-case hex").isEqualTo("%C3%A9%20");
    assertThat(Namespace.escape("/")).isEqualTo("%2F");
  }

  @Test
  void namesAndPrefixesThatWouldBreakTheLayoutAreRefused() {
    assertThatThrownBy(() -> Namespace.of("", "n")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key prefix ''");
    assertThatThrownBy(() -> Namespace.of("d{c", "n")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Namespace.of("d}c", "n")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Namespace.of("dc", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Namespace.of("dc", "a:b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Namespace.escape");
    assertThatThrownBy(() -> Namespace.of(null, "n")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Namespace.of("dc", null)).isInstanceOf(NullPointerException.class);
    assertThat(Namespace.of("dc", "a%3Ab").name()).as("an escaped name").isEqualTo("a%3Ab");
    assertThat(Namespace.of("dc", "a.b_c-9").name()).isEqualTo("a.b_c-9");
  }

  @Test
  void namespacesAreEqualByPrefixAndName() {
    assertThat(Namespace.of("dc", "users")).isEqualTo(users).hasSameHashCodeAs(users);
    assertThat(Namespace.of("dc", "orders")).isNotEqualTo(users);
    assertThat(Namespace.of("dd", "users")).isNotEqualTo(users);
    assertThat(users).isNotEqualTo("dc:users");
    assertThat(users).hasToString("dc:users");
  }

  @Test
  void aKeySpaceMovesOnlyTheEntriesAndCannotBeReadAsAnotherPartOfTheLayout() {
    Namespace moved = users.inSpace("g1a2b3c4d");
    assertThat(moved.entryKey("s:a")).isEqualTo("dc:users:g1a2b3c4d:k:s:a");
    assertThat(moved.entryPattern()).isEqualTo("dc:users:g1a2b3c4d:k:*");
    assertThat(moved.encodedKeyOf(moved.entryKey("s:a"))).isEqualTo("s:a");
    assertThat(moved.metaKey()).isEqualTo(users.metaKey());
    assertThat(moved.logKey()).isEqualTo(users.logKey());
    assertThat(moved.space()).isEqualTo("g1a2b3c4d");
    assertThat(moved).isNotEqualTo(users);
    assertThat(moved.inSpace(Namespace.FIRST_SPACE)).isEqualTo(users);
    // the first layout's scan pattern does not reach into a key space
    assertThat(users.entryPattern()).isEqualTo("dc:users:k:*");
    for (String refused : new String[] {"k", "l", "x1", "g:1", "G1", "g-1", "g{1}"}) {
      assertThatThrownBy(() -> users.inSpace(refused)).as(refused).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
