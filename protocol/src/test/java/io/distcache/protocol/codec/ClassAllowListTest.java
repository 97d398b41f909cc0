package io.distcache.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.protocol.codec.fixture.Operation;
import io.distcache.protocol.codec.fixture.Tier;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassAllowListTest {

  private final ClassAllowList defaults = ClassAllowList.defaults();

  @ParameterizedTest
  @ValueSource(strings = {"java.lang.String", "java.lang.Long", "java.math.BigDecimal", "java.time.OffsetDateTime",
      "java.util.UUID", "java.util.Collections$UnmodifiableRandomAccessList", "java.util.ImmutableCollections$ListN",
      "java.util.Arrays$ArrayList", "[Ljava.lang.String;", "[[Ljava.time.LocalDate;", "[I", "[[J", "int"})
  void defaultsAllowJdkValueTypes(String name) {
    assertThat(defaults.allows(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"java.lang.Runtime", "java.lang.ProcessBuilder", "java.lang.Class", "java.lang.Thread",
      "java.util.concurrent.ConcurrentHashMap", "javax.management.BadAttributeValueExpException",
      "org.apache.commons.collections.functors.InvokerTransformer", "[Ljava.lang.Thread;", "[X", "[Ljava.lang.String",
      "[", "com.acme.Order", ""})
  void defaultsRefuseEverythingElse(String name) {
    assertThat(defaults.allows(name)).isFalse();
  }

  @Test
  void everyEnumIsAllowedWithoutBeingListedAndNothingElseIs() {
    KryoValueCodec codec = new KryoValueCodec(ClassAllowList.defaults(), 0, getClass().getClassLoader());
    for (Object value : List.of(Thread.State.BLOCKED, java.util.concurrent.TimeUnit.SECONDS,
        java.util.EnumSet.of(Thread.State.NEW, Thread.State.RUNNABLE), List.of(java.util.concurrent.TimeUnit.DAYS),
        new Thread.State[] {Thread.State.BLOCKED})) {
      EncodedValue encoded = codec.encode(value);
      assertThat(codec.decode(encoded.flags(), encoded.payload())).isEqualTo(value);
    }
    assertThat(ClassAllowList.enumNamed(Thread.State[].class.getName(), getClass().getClassLoader()))
        .as("an array of an unlisted enum").isEqualTo(Thread.State[].class);
    assertThat(ClassAllowList.defaults().allows(Thread.State.class)).isTrue();
    assertThat(ClassAllowList.defaults().allows(Thread.State.class.getName())).as("by name alone: not listed").isFalse();
    assertThat(ClassAllowList.enumNamed(Thread.State.class.getName(), getClass().getClassLoader()))
        .isEqualTo(Thread.State.class);
    assertThatThrownBy(() -> ClassAllowList.enumNamed(Thread.class.getName(), getClass().getClassLoader()))
        .isInstanceOf(ClassNotAllowedException.class).hasMessageContaining("java.lang.Thread");
    assertThatThrownBy(() -> ClassAllowList.enumNamed("com.acme.Missing", getClass().getClassLoader()))
        .isInstanceOf(ClassNotAllowedException.class);
  }

  @Test
  void packagePrefixesGetATrailingDotSoTheyCannotMatchASiblingPackage() {
    ClassAllowList list = defaults.withPackages(List.of("com.acme", " org.example. "));

    assertThat(list.allows("com.acme.Order")).isTrue();
    assertThat(list.allows("com.acme.billing.Invoice$Line")).isTrue();
    assertThat(list.allows("com.acmeevil.Order")).isFalse();
    assertThat(list.allows("org.example.Thing")).isTrue();
    assertThat(list.allows("[Lcom.acme.Order;")).isTrue();
    assertThat(list.packagePrefixes()).containsExactly("java.util.ImmutableCollections$", "com.acme.", "org.example.");
  }

  @Test
  void blankPrefixesAreRefusedBecauseTheyWouldAllowEverything() {
    assertThatThrownBy(() -> defaults.withPackages(List.of(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("codec.allowed-packages");
    assertThatThrownBy(() -> defaults.withPackages(List.of(".")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void classesAreMatchedExactly() {
    ClassAllowList list = defaults.withClasses(List.of("com.acme.Order"));

    assertThat(list.allows("com.acme.Order")).isTrue();
    assertThat(list.allows("com.acme.Order$Line")).isFalse();
    assertThat(list.allows("com.acme.OrderLine")).isFalse();
    assertThat(list.classNames()).contains("com.acme.Order", "java.lang.String");
  }

  @Test
  void withMethodsReturnCopiesAndLeaveTheOriginalUnchanged() {
    ClassAllowList extended = defaults.withPackages(List.of("com.acme.")).withClasses(List.of("org.x.Y"));

    assertThat(defaults.allows("com.acme.Order")).isFalse();
    assertThat(defaults.allows("org.x.Y")).isFalse();
    assertThat(extended).isNotEqualTo(defaults);
    assertThat(extended).isEqualTo(defaults.withPackages(List.of("com.acme.")).withClasses(List.of("org.x.Y")));
    assertThat(ClassAllowList.defaults()).isSameAs(defaults);
  }

  @Test
  void loadedClassesAreJudgedByElementTypeAndByTheirEnum() {
    ClassAllowList list = defaults.withClasses(List.of(Operation.class.getName(), Tier.class.getName()));

    assertThat(list.allows(Operation.PLUS.getClass())).as("enum constant body %s", Operation.PLUS.getClass()).isTrue();
    assertThat(list.allows(Tier[][].class)).isTrue();
    assertThat(list.allows(int[].class)).isTrue();
    assertThat(list.allows(long.class)).isTrue();
    assertThat(list.allows(Thread[].class)).isFalse();
    assertThat(defaults.allows(Operation.PLUS.getClass())).as("every enum is allowed, constant bodies with it")
        .isTrue();
    assertThat(defaults.allows(Thread.class)).isFalse();
  }

  @Test
  void lambdasAndProxiesAreNeverAllowed() {
    Supplier<String> lambda = () -> "x";
    Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Runnable.class},
        (p, method, args) -> null);
    ClassAllowList everything = defaults.withPackages(List.of("io.", "jdk.", "com."));

    assertThat(everything.allows(lambda.getClass())).isFalse();
    assertThat(everything.allows(proxy.getClass())).isFalse();
  }
}
