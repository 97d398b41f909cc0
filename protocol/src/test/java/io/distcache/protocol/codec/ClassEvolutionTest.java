package io.distcache.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling deploy: JVM A runs version 1 of a class, JVM B version 2 with a field (or record component) more.
 * Each reads what the other wrote, in both directions, for a POJO and a record. Each version lives in a class
 * loader of its own, compiled from source by the test, as two JVMs would have it.
 */
class ClassEvolutionTest {

  private static final String USER_V1 = "package evo; public class User { public String name; }";
  private static final String USER_V2 = "package evo; public class User { public String name; public int age;"
      + " public java.util.List<String> tags; }";
  private static final String USER_RETYPED = "package evo; public class User { public int name; }";
  private static final String POINT_V1 = "package evo; public record Point(int x, int y) {}";
  private static final String POINT_V2 = "package evo; public record Point(int x, int y, String label) {}";

  @TempDir
  Path directory;

  /** Compiles {@code source} into a directory of its own and loads it in a new class loader. */
  private ClassLoader version(String name, String source) {
    try {
      Path root = Files.createDirectories(directory.resolve(name));
      Path file = Files.createDirectories(root.resolve("evo")).resolve(source.contains("record") ? "Point.java"
          : "User.java");
      Files.writeString(file, source);
      JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
      assertThat(compiler.run(null, null, null, "-d", root.toString(), file.toString())).as("javac").isZero();
      return new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KryoValueCodec codec(ClassLoader loader, CodecFormat format) {
    return new KryoValueCodec(ClassAllowList.defaults().withPackages(List.of("evo.")), 0, loader,
        CodecLimits.defaults(), format);
  }

  private static Object newInstance(ClassLoader loader, String className, Object... fields) throws Exception {
    Class<?> type = loader.loadClass(className);
    Object value = type.getDeclaredConstructor().newInstance();
    for (int i = 0; i < fields.length; i += 2) {
      type.getField((String) fields[i]).set(value, fields[i + 1]);
    }
    return value;
  }

  private static Object field(Object value, String name) throws Exception {
    return value.getClass().getField(name).get(value);
  }

  private static Object component(Object record, String name) throws Exception {
    return record.getClass().getMethod(name).invoke(record);
  }

  private static Object transfer(KryoValueCodec from, KryoValueCodec to, Object value) {
    EncodedValue encoded = from.encode(value);
    return to.decode(encoded.flags(), encoded.payload());
  }

  @Test
  void aPojoWithAFieldAddedReadsTheOldVersionAndTheOldVersionReadsIt() throws Exception {
    ClassLoader v1 = version("user-v1", USER_V1);
    ClassLoader v2 = version("user-v2", USER_V2);
    KryoValueCodec a = codec(v1, CodecFormat.COMPATIBLE);
    KryoValueCodec b = codec(v2, CodecFormat.COMPATIBLE);

    Object fromV1 = transfer(a, b, newInstance(v1, "evo.User", "name", "ann"));
    assertThat(fromV1.getClass().getClassLoader()).isSameAs(v2);
    assertThat(field(fromV1, "name")).isEqualTo("ann");
    assertThat(field(fromV1, "age")).as("a field the bytes lack keeps its default").isEqualTo(0);
    assertThat(field(fromV1, "tags")).isNull();

    Object fromV2 = transfer(b, a, newInstance(v2, "evo.User", "name", "bob", "age", 42, "tags", List.of("x")));
    assertThat(fromV2.getClass().getClassLoader()).isSameAs(v1);
    assertThat(field(fromV2, "name")).as("the fields both versions have").isEqualTo("bob");
  }

  @Test
  void aRecordWithAComponentAddedReadsTheOldVersionAndTheOldVersionReadsIt() throws Exception {
    ClassLoader v1 = version("point-v1", POINT_V1);
    ClassLoader v2 = version("point-v2", POINT_V2);
    KryoValueCodec a = codec(v1, CodecFormat.COMPATIBLE);
    KryoValueCodec b = codec(v2, CodecFormat.COMPATIBLE);
    Class<?> pointV1 = v1.loadClass("evo.Point");
    Class<?> pointV2 = v2.loadClass("evo.Point");

    Object fromV1 = transfer(a, b, pointV1.getDeclaredConstructor(int.class, int.class).newInstance(1, 2));
    assertThat(fromV1.getClass()).isSameAs(pointV2);
    assertThat(component(fromV1, "x")).isEqualTo(1);
    assertThat(component(fromV1, "y")).isEqualTo(2);
    assertThat(component(fromV1, "label")).isNull();

    Object fromV2 = transfer(b, a,
        pointV2.getDeclaredConstructor(int.class, int.class, String.class).newInstance(3, 4, "p"));
    assertThat(fromV2).isEqualTo(pointV1.getDeclaredConstructor(int.class, int.class).newInstance(3, 4));
  }

  @Test
  void thePositionalFormatCannotCrossVersionsAndBothFormatsStayReadable() throws Exception {
    ClassLoader v1 = version("user-v1", USER_V1);
    ClassLoader v2 = version("user-v2", USER_V2);
    Object user = newInstance(v1, "evo.User", "name", "ann");

    assertThatThrownBy(() -> transfer(codec(v1, CodecFormat.POSITIONAL), codec(v2, CodecFormat.POSITIONAL), user))
        .as("fields by position: what every release before the compatible format wrote")
        .isInstanceOf(CorruptValueException.class);
    Object positionalRead = transfer(codec(v1, CodecFormat.POSITIONAL), codec(v1, CodecFormat.COMPATIBLE), user);
    assertThat(field(positionalRead, "name")).as("a compatible codec reads positional values").isEqualTo("ann");
  }

  @Test
  void aFieldWhoseTypeChangedIsNotCompatible() throws Exception {
    ClassLoader v1 = version("user-v1", USER_V1);
    ClassLoader retyped = version("user-retyped", USER_RETYPED);

    assertThatThrownBy(() -> transfer(codec(v1, CodecFormat.COMPATIBLE), codec(retyped, CodecFormat.COMPATIBLE),
        newInstance(v1, "evo.User", "name", "ann"))).isInstanceOf(CorruptValueException.class);
  }
}
