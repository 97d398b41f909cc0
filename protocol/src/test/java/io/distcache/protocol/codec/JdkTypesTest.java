package io.distcache.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URL;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Currency;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JDK type of the default allow-list round-trips exactly (same class, equal value) on Java 17, where
 * Kryo's field serializer cannot reach into {@code java.base}.
 */
class JdkTypesTest {

  /** One per test: a codec shared by all would build its Kryo instances once, before any mutation (PIT). */
  private final KryoValueCodec codec = Codecs.strict();

  static Stream<Arguments> values() throws Exception {
    Timestamp timestamp = Timestamp.valueOf("2024-02-29 12:34:56.123456789");
    TreeMap<String, Integer> reversed = new TreeMap<>(Collections.reverseOrder());
    reversed.putAll(Map.of("a", 1, "b", 2, "c", 3));
    TreeSet<String> caseInsensitive = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    caseInsensitive.addAll(List.of("b", "A", "c"));
    Object[] values = {
        "text", "ünïcødé ✓", true, (byte) -7, (short) 300, 123_456, -9_876_543_210L, 1.5f, Math.PI, 'x',
        new BigDecimal("-12345.678900"), new BigInteger("123456789012345678901234567890"), RoundingMode.HALF_EVEN,
        Duration.ofSeconds(90_061, 5), Instant.parse("2024-02-29T12:34:56.123456789Z"), LocalDate.of(2024, 2, 29),
        LocalTime.of(23, 59, 58, 999), LocalDateTime.of(2024, 2, 29, 1, 2, 3, 4),
        OffsetTime.of(10, 0, 0, 1, ZoneOffset.ofHours(-3)),
        OffsetDateTime.of(2024, 2, 29, 1, 2, 3, 4, ZoneOffset.ofHoursMinutes(5, 45)),
        ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 0, ZoneId.of("Europe/Paris")), ZoneId.of("America/New_York"),
        ZoneOffset.ofHours(14), Year.of(-44), YearMonth.of(2024, 2), MonthDay.of(2, 29), Period.of(1, -2, 3),
        DayOfWeek.SUNDAY, Month.FEBRUARY, ChronoUnit.MILLENNIA,
        UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), URI.create("https://user@example.com:8443/a%20b?q=1#frag"),
        new Date(1_700_000_000_123L), java.sql.Date.valueOf("2024-02-29"),
        Time.valueOf("12:34:56"), timestamp, Locale.CANADA_FRENCH, Locale.forLanguageTag("sr-Latn-RS"),
        Currency.getInstance("EUR"), BitSet.valueOf(new long[] {0b1011, -1L}),
        Optional.of("present"), Optional.empty(), OptionalInt.of(7), OptionalLong.empty(), OptionalDouble.of(0.5),
        new ArrayList<>(List.of(1, "two", 3.0)), new LinkedList<>(List.of("a", "b")),
        new HashMap<>(Map.of("k", List.of(1))), linkedHashMap(), new TreeMap<>(Map.of("b", 2, "a", 1)), reversed,
        new HashSet<>(Set.of(1, 2, 3)), new LinkedHashSet<>(List.of("z", "a", "m")), new TreeSet<>(Set.of(5, 1, 3)),
        caseInsensitive, EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), EnumSet.noneOf(Month.class),
        EnumSet.allOf(ChronoUnit.class),
        Arrays.asList("x", "y"), Collections.emptyList(), Collections.emptySet(), Collections.emptyMap(),
        Collections.singletonList("one"), Collections.singleton("one"), Collections.singletonMap("k", "v"),
        Collections.unmodifiableList(new ArrayList<>(List.of(1, 2))),
        Collections.unmodifiableList(new LinkedList<>(List.of(1, 2))),
        Collections.unmodifiableCollection(new ArrayList<>(List.of("c"))),
        Collections.unmodifiableSet(new LinkedHashSet<>(List.of("s2", "s1"))),
        Collections.unmodifiableSortedSet(new TreeSet<>(Collections.reverseOrder())),
        Collections.unmodifiableNavigableSet(new TreeSet<>(List.of(3, 1, 2))),
        Collections.unmodifiableMap(linkedHashMap()),
        Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(2, "b", 1, "a"))),
        Collections.unmodifiableNavigableMap(reversed),
        List.of(), List.of(1), List.of(1, 2), List.of(1, 2, 3), List.of(1, 2, 3, 4).subList(1, 3),
        Set.of(), Set.of("one"), Set.of("one", "two", "three"), Map.of(), Map.of("k", "v"), Map.of("a", 1, "b", 2),
        new Object[] {1, "a", null}, new int[] {1, 2}, new String[] {"a", null}, new Integer[] {1},
        new LocalDate[][] {{LocalDate.MIN}, {LocalDate.MAX}}, new byte[] {1, 2, 3}, new Object(),
    };
    return Arrays.stream(values).map(value -> Arguments.of(value.getClass().getName(), value));
  }

  private static LinkedHashMap<String, Integer> linkedHashMap() {
    LinkedHashMap<String, Integer> map = new LinkedHashMap<>();
    map.put("z", 26);
    map.put("a", 1);
    return map;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void roundTripsToAnEqualValueOfTheSameClass(String className, Object value) {
    Object decoded = Codecs.roundTrip(codec, value);

    if (className.equals("java.util.ImmutableCollections$SubList")) {
      // Kryo rebuilds List.of(...).subList(...) with List.of: equal and still immutable, another class
      assertThat(decoded.getClass().getName()).startsWith("java.util.ImmutableCollections$");
    } else {
      assertThat(decoded).hasSameClassAs(value);
    }
    assertSameValue(decoded, value);
    assertSameValue(codec.copy(value), value);
  }

  /**
   * A by-value near cache keeps a JDK value type's stored bytes in the compatible format as they are
   * ({@link KryoValueCodec#isLocal}): that holds only while both formats write such a value alike.
   */
  @Test
  void valueTypesAreWrittenAlikeInBothFormatsAndKeptAsTheyAre() throws Exception {
    KryoValueCodec positional = format(CodecFormat.POSITIONAL);
    KryoValueCodec compatible = format(CodecFormat.COMPATIBLE);
    Set<Class<?>> sampled = new HashSet<>();
    for (Arguments arguments : values().toList()) {
      Object value = arguments.get()[1];
      if (KryoValueCodec.IMMUTABLE_TYPES.contains(value.getClass())) {
        sampled.add(value.getClass());
        EncodedValue written = compatible.encode(value);
        assertThat(written.payload()).as(value.getClass().getName())
            .isEqualTo(positional.encode(value).payload());
        assertThat(compatible.isLocal(written.flags(), value)).as(value.getClass().getName()).isTrue();
      }
    }
    assertThat(sampled).as("a sample of every immutable type").isEqualTo(KryoValueCodec.IMMUTABLE_TYPES);
  }

  @Test
  void otherValuesInTheCompatibleFormatAreEncodedAgainForTheNearCache() {
    KryoValueCodec compatible = format(CodecFormat.COMPATIBLE);
    List<Integer> list = new ArrayList<>(List.of(1, 2));
    assertThat(compatible.isLocal(compatible.encode(list).flags(), list)).isFalse();
    assertThat(compatible.isLocal((byte) (Envelope.CODEC_KRYO_COMPATIBLE | Envelope.COMPRESSED), "text")).isFalse();
    assertThat(compatible.isLocal(Envelope.CODEC_KRYO, list)).isTrue();
  }

  private static KryoValueCodec format(CodecFormat format) {
    return new KryoValueCodec(ClassAllowList.defaults(), 0, JdkTypesTest.class.getClassLoader(),
        CodecLimits.defaults(), format);
  }

  @Test
  void aUrlIsRefusedByDefaultAndRoundTripsWhenAllowed() throws Exception {
    URL url = new URL("https://example.com/path?x=1");
    assertThatThrownBy(() -> codec.encode(url)).isInstanceOf(ClassNotAllowedException.class)
        .hasMessageContaining("java.net.URL");

    KryoValueCodec allowing = new KryoValueCodec(ClassAllowList.defaults().withClasses(List.of(URL.class.getName())),
        0, JdkTypesTest.class.getClassLoader());
    EncodedValue encoded = allowing.encode(url);
    assertSameValue(allowing.decode(encoded.flags(), encoded.payload()), url);
    assertThatThrownBy(() -> codec.decode(encoded.flags(), encoded.payload()))
        .isInstanceOf(ClassNotAllowedException.class);
  }

  private static void assertSameValue(Object actual, Object expected) {
    if (expected instanceof URL || expected.getClass() == Object.class) {
      // URL.equals resolves host names, and a plain Object only equals itself
      assertThat(actual).hasSameClassAs(expected);
      if (expected instanceof URL) {
        assertThat(actual).hasToString(expected.toString());
      }
      return;
    }
    if (expected.getClass() == Collections.unmodifiableCollection(List.of()).getClass()) {
      // an unmodifiable collection inherits identity equality: compare the content
      assertThat(new ArrayList<>((Collection<?>) actual)).isEqualTo(new ArrayList<>((Collection<?>) expected));
    } else {
      assertThat(actual).isEqualTo(expected);
    }
    if (expected instanceof List<?> || expected instanceof SortedSet<?> || expected instanceof SortedMap<?, ?>
        || expected instanceof LinkedHashSet<?> || expected instanceof LinkedHashMap<?, ?>) {
      // iteration order, hence comparators and insertion order, survive
      assertThat(actual).hasToString(expected.toString());
    }
    if (expected instanceof SortedSet<?> set) {
      assertThat(((SortedSet<?>) actual).comparator()).isEqualTo(set.comparator());
    }
    if (expected instanceof SortedMap<?, ?> map) {
      assertThat(((SortedMap<?, ?>) actual).comparator()).isEqualTo(map.comparator());
    }
    if (expected instanceof Timestamp timestamp) {
      assertThat(((Timestamp) actual).getNanos()).isEqualTo(timestamp.getNanos());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unmodifiable")
  void unmodifiableWrappersStayUnmodifiable(String className, Collection<Object> value) {
    @SuppressWarnings("unchecked")
    Collection<Object> decoded = (Collection<Object>) Codecs.roundTrip(codec, value);

    assertThatThrownBy(() -> decoded.add("more")).isInstanceOf(UnsupportedOperationException.class);
  }

  static Stream<Arguments> unmodifiable() {
    return Stream.of(Collections.unmodifiableList(new ArrayList<>()), Collections.unmodifiableSet(new HashSet<>()),
            Collections.unmodifiableCollection(new ArrayList<>()), List.of(1), Set.of(1), Arrays.asList(1))
        .map(value -> Arguments.of(value.getClass().getName(), value));
  }
}
