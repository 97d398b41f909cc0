package io.distcache.protocol.codec;

import static io.distcache.protocol.codec.Codecs.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.protocol.codec.fixture.Address;
import io.distcache.protocol.codec.fixture.CachedHashKey;
import io.distcache.protocol.codec.fixture.Customer;
import io.distcache.protocol.codec.fixture.LineItem;
import io.distcache.protocol.codec.fixture.Node;
import io.distcache.protocol.codec.fixture.Operation;
import io.distcache.protocol.codec.fixture.Sentinel;
import io.distcache.protocol.codec.fixture.SerializedHolder;
import io.distcache.protocol.codec.fixture.Tier;
import io.distcache.protocol.codec.forbidden.Gadget;
import io.distcache.protocol.codec.forbidden.SerializableGadget;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class KryoValueCodecTest {

  private final KryoValueCodec codec = Codecs.strict();

  static Customer customer() {
    Map<String, Integer> counters = new LinkedHashMap<>();
    counters.put("logins", 12);
    counters.put("orders", 3);
    return new Customer(UUID.fromString("7c9e6679-7425-40de-944b-e07fc1f90ae7"), "Ada", new BigDecimal("1234.5600"),
        LocalDate.of(1815, 12, 10), Instant.parse("2024-02-29T12:34:56.123456789Z"),
        OffsetDateTime.of(2024, 3, 1, 8, 0, 0, 500, ZoneOffset.ofHoursMinutes(5, 30)), Tier.GOLD,
        new Address("12 St James's Square", "London", "SW1Y 4JH"),
        new ArrayList<>(List.of(new LineItem("A-1", 2, new BigDecimal("9.99")), new LineItem("B-2", 1, BigDecimal.TEN))),
        counters);
  }

  @Test
  void pojoWithJdkValuesEnumRecordsListAndMapRoundTrips() {
    Customer original = customer();

    Object decoded = roundTrip(codec, original);

    assertThat(decoded).isInstanceOf(Customer.class).isEqualTo(original).isNotSameAs(original);
    assertThat(((Customer) decoded).counters()).isInstanceOf(LinkedHashMap.class)
        .containsExactly(Map.entry("logins", 12), Map.entry("orders", 3));
    assertThat(((Customer) decoded).balance()).hasToString("1234.5600");
  }

  @Test
  void recordsRoundTripAsRecords() {
    Address address = new Address("1 Main St", "Springfield", null);

    assertThat(roundTrip(codec, address)).isEqualTo(address);
    assertThat(roundTrip(codec, List.of(new LineItem("x", 1, BigDecimal.ONE)))).isEqualTo(
        List.of(new LineItem("x", 1, BigDecimal.ONE)));
  }

  @Test
  void enumsAreWrittenByNameSoReorderingConstantsCannotChangeValues() {
    EncodedValue encoded = codec.encode(Tier.SILVER);

    assertThat(new String(encoded.payload(), StandardCharsets.ISO_8859_1)).contains("SILVE");
    assertThat(roundTrip(codec, Tier.SILVER)).isSameAs(Tier.SILVER);
  }

  @Test
  void enumConstantsWithBodiesComeBackAsTheSameConstantUnderTheirEnumsName() {
    KryoValueCodec exact = new KryoValueCodec(ClassAllowList.defaults().withClasses(List.of(Operation.class.getName())),
        0, getClass().getClassLoader());

    EncodedValue encoded = exact.encode(Operation.TIMES);

    assertThat(new String(encoded.payload(), StandardCharsets.ISO_8859_1)).doesNotContain("Operation$");
    assertThat(exact.decode(encoded.flags(), encoded.payload())).isSameAs(Operation.TIMES);
  }

  @Test
  void aClassOutsideTheAllowListIsRefusedWhenWritten() {
    assertThatThrownBy(() -> codec.encode(new Gadget()))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessageContaining(Gadget.class.getName())
        .hasMessageContaining("codec.allowed-packages")
        .hasMessageContaining("\"io.distcache.protocol.codec.forbidden.\"");
  }

  @Test
  void aNestedClassOutsideTheAllowListIsRefusedWhenWritten() {
    Map<String, Object> map = new HashMap<>();
    map.put("harmless", "text");
    map.put("nested", List.of(new Gadget()));

    assertThatThrownBy(() -> codec.encode(map))
        .isInstanceOf(ClassNotAllowedException.class)
        .extracting(e -> ((ClassNotAllowedException) e).className()).isEqualTo(Gadget.class.getName());
    assertThatThrownBy(() -> codec.encode(new Gadget[] {new Gadget()}))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessageContaining(Gadget.class.getName());
    assertThatThrownBy(() -> codec.copy(map)).isInstanceOf(ClassNotAllowedException.class);
  }

  @Test
  void aPayloadNamingAForbiddenClassIsRefusedBeforeAnyInstanceIsCreated() {
    EncodedValue crafted = Codecs.permissive().encode(new ArrayList<>(List.of("ok", new Gadget())));
    int createdBefore = Gadget.CREATED.get();

    assertThatThrownBy(() -> codec.decode(crafted.flags(), crafted.payload()))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessageContaining(Gadget.class.getName());
    assertThat(Gadget.CREATED.get()).isEqualTo(createdBefore);
  }

  @Test
  void aForbiddenClassNameIsRefusedEvenWhenNoSuchClassExists() {
    EncodedValue crafted = Codecs.permissive().encode(new Gadget());
    byte[] payload = crafted.payload();
    String text = new String(payload, StandardCharsets.ISO_8859_1).replace("forbidden.Gadge", "forbidden.Nopee");

    assertThatThrownBy(() -> codec.decode(crafted.flags(), text.getBytes(StandardCharsets.ISO_8859_1)))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessageContaining("io.distcache.protocol.codec.forbidden.Nopee");
  }

  @Test
  void javaSerializedValuesAreGuardedForEveryNestedClass() {
    SerializedHolder holder = new SerializedHolder(new SerializableGadget());
    EncodedValue crafted = Codecs.permissive().encode(holder);
    int readsBefore = SerializableGadget.READS.get();

    assertThatThrownBy(() -> codec.decode(crafted.flags(), crafted.payload()))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessageContaining(SerializableGadget.class.getName());
    assertThat(SerializableGadget.READS.get()).isEqualTo(readsBefore);
    assertThatThrownBy(() -> codec.encode(holder))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessageContaining(SerializableGadget.class.getName());
    assertThat(((SerializedHolder) roundTrip(codec, new SerializedHolder(LocalDate.of(2020, 1, 1)))).content())
        .isEqualTo(LocalDate.of(2020, 1, 1));
  }

  @Test
  void lambdasAndProxiesAreRefused() {
    Supplier<String> lambda = () -> "x";
    Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Runnable.class},
        (p, method, args) -> null);

    assertThatThrownBy(() -> codec.encode(lambda)).isInstanceOf(ClassNotAllowedException.class);
    assertThatThrownBy(() -> codec.encode(proxy)).isInstanceOf(ClassNotAllowedException.class);
  }

  @Test
  void serializableSingletonsWithReadResolveComeBackAsTheSameInstance() {
    assertThat(roundTrip(codec, Sentinel.INSTANCE)).isSameAs(Sentinel.INSTANCE);
    assertThat((List<?>) roundTrip(codec, new ArrayList<>(List.of(Sentinel.INSTANCE, "x")))).first()
        .isSameAs(Sentinel.INSTANCE);
    assertThat(codec.copy(Sentinel.INSTANCE)).isSameAs(Sentinel.INSTANCE);
  }

  @Test
  void readObjectRebuildsTransientState() {
    CachedHashKey key = new CachedHashKey("from Order where id = ?", 42L, Tier.GOLD);

    CachedHashKey decoded = (CachedHashKey) roundTrip(codec, key);

    assertThat(decoded).isEqualTo(key);
    assertThat(decoded.cachedHash()).isEqualTo(key.cachedHash()).isNotZero();
  }

  @Test
  void payloadsFromTheThresholdOnAreCompressedAndRoundTrip() {
    KryoValueCodec compressing = Codecs.strict(1024);
    String large = "the same sentence again and again. ".repeat(200);

    EncodedValue encoded = compressing.encode(large);

    assertThat(encoded.isCompressed()).isTrue();
    assertThat(encoded.flags()).isEqualTo((byte) (Envelope.CODEC_KRYO | Envelope.COMPRESSED));
    assertThat(encoded.payload().length).isLessThan(codec.encode(large).payload().length / 10);
    assertThat(roundTrip(compressing, large)).isEqualTo(large);
  }

  @Test
  void payloadsBelowTheThresholdAreNotCompressed() {
    KryoValueCodec compressing = Codecs.strict(1024);

    assertThat(compressing.encode("short ".repeat(10)).isCompressed()).isFalse();
    assertThat(codec.encode("long ".repeat(10_000)).isCompressed()).as("threshold 0 never compresses").isFalse();
    assertThat(Codecs.strict(-1).encode("long ".repeat(10_000)).isCompressed()).isFalse();
  }

  @Test
  void incompressiblePayloadsAreStoredUncompressed() {
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);

    EncodedValue encoded = Codecs.strict(64).encode(noise);

    assertThat(encoded.isCompressed()).isFalse();
    assertThat((byte[]) codec.decode(encoded.flags(), encoded.payload())).isEqualTo(noise);
  }

  @Test
  void corruptCompressedPayloadsAreReportedAsCorrupt() {
    EncodedValue encoded = Codecs.strict(64).encode("abc".repeat(1000));
    byte[] payload = encoded.payload();
    byte[] truncated = Arrays.copyOf(payload, payload.length / 2);
    byte[] hugeLength = payload.clone();
    hugeLength[0] = 0x7f;

    assertThatThrownBy(() -> codec.decode(encoded.flags(), truncated)).isInstanceOf(CorruptValueException.class);
    assertThatThrownBy(() -> codec.decode(encoded.flags(), hugeLength))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("declares");
    assertThatThrownBy(() -> codec.decode(encoded.flags(), new byte[] {0, 0}))
        .isInstanceOf(CorruptValueException.class);
  }

  @Test
  void undecodablePayloadsAreReportedAsCorrupt() {
    byte[] payload = codec.encode(customer()).payload();

    assertThatThrownBy(() -> codec.decode(Envelope.CODEC_KRYO, Arrays.copyOf(payload, payload.length - 5)))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("cannot be decoded");
    assertThatThrownBy(() -> codec.decode(Envelope.CODEC_KRYO, Arrays.copyOf(payload, payload.length + 3)))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("3 bytes were left");
    assertThatThrownBy(() -> codec.decode(Envelope.CODEC_KRYO, Arrays.copyOf(payload, payload.length - 5)))
        .isInstanceOfSatisfying(CorruptValueException.class,
            e -> assertThat(e.valueClass()).as("the class the bytes name").isEqualTo(customer().getClass().getName()))
        .hasMessageContaining("of class " + customer().getClass().getName());
    assertThatThrownBy(() -> codec.decode(Envelope.CODEC_KRYO, new byte[] {(byte) 0x7f, 3}))
        .isInstanceOfSatisfying(CorruptValueException.class, e -> assertThat(e.valueClass()).isNull());
    assertThatThrownBy(() -> codec.decode(Envelope.CODEC_KRYO, new byte[0])).isInstanceOf(CorruptValueException.class);
    assertThatThrownBy(() -> codec.decode(Envelope.CODEC_KRYO, new byte[] {0}))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("null");
  }

  @Test
  void flagsOfTombstonesAndOtherCodecsAreRefused() {
    byte[] payload = codec.encode("x").payload();

    assertThatThrownBy(() -> codec.decode(Envelope.TOMBSTONE, payload))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("isTombstone");
    assertThatThrownBy(() -> codec.decode((byte) 3, payload))
        .as("codec ids 1 (positional) and 2 (compatible) are Kryo's; 3 is no codec's")
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("0x03");
  }

  @Test
  void classesThatCannotBeSerializedFailWithTheirName() {
    Thread thread = new Thread(() -> { });
    KryoValueCodec lenient = new KryoValueCodec(ClassAllowList.defaults().withClasses(List.of(Thread.class.getName())),
        0, getClass().getClassLoader());

    assertThatThrownBy(() -> lenient.encode(thread))
        .isInstanceOf(UnserializableValueException.class)
        .hasMessageContaining("A java.lang.Thread cannot be serialized")
        .hasMessageContaining("module");
  }

  @Test
  void copiesOfMutableValuesAreDistinctAndDeep() {
    Customer original = customer();

    Customer copy = (Customer) codec.copy(original);

    assertThat(copy).isEqualTo(original).isNotSameAs(original);
    assertThat(copy.items()).isNotSameAs(original.items());
    copy.items().clear();
    copy.rename("Grace");
    assertThat(original.items()).hasSize(2);
    assertThat(original).isEqualTo(customer());
  }

  @Test
  void copiesOfImmutableValuesAreTheSameInstance() {
    for (Object value : List.of("text", 42, 42L, new BigDecimal("1.50"), UUID.randomUUID(), LocalDate.now(),
        Instant.now(), OffsetDateTime.now(), ZoneOffset.UTC, java.time.ZoneId.of("Europe/Paris"), Tier.GOLD,
        Operation.PLUS, java.net.URI.create("https://example.com/"), java.util.Locale.FRANCE)) {
      assertThat(codec.copy(value)).as("copy of %s", value.getClass()).isSameAs(value);
    }
  }

  @Test
  void cyclicGraphsSurviveRoundTripsAndCopies() {
    Node root = new Node("root");
    root.add("left").add("leaf");
    root.add("right");

    for (Object result : List.of(roundTrip(codec, root), codec.copy(root))) {
      Node decoded = (Node) result;
      assertThat(decoded).isNotSameAs(root);
      assertThat(decoded.children()).extracting(Node::name).containsExactly("left", "right");
      assertThat(decoded.children().get(0).parent()).isSameAs(decoded);
      assertThat(decoded.children().get(0).children().get(0).parent()).isSameAs(decoded.children().get(0));
    }
  }

  @Test
  void concurrentEncodesAndDecodesStayCorrect() throws Exception {
    KryoValueCodec shared = Codecs.strict(512);
    Customer customer = customer();
    String large = "compressible ".repeat(100);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int seed = t;
        tasks.add(() -> {
          for (int i = 0; i < 300; i++) {
            Object value = switch ((i + seed) % 4) {
              case 0 -> customer;
              case 1 -> large;
              case 2 -> List.of(i, "n" + i, Tier.values()[i % 3]);
              default -> Sentinel.INSTANCE;
            };
            Object decoded = roundTrip(shared, value);
            if (value == Sentinel.INSTANCE ? decoded != value : !decoded.equals(value)) {
              throw new AssertionError("thread " + seed + " iteration " + i + " decoded " + decoded);
            }
            if (!shared.copy(value).equals(value)) {
              throw new AssertionError("copy of " + value);
            }
          }
          return seed;
        });
      }
      for (Future<Integer> result : pool.invokeAll(tasks)) {
        assertThat(result.get()).isNotNull();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
