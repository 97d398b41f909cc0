package io.distcache.jcache.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {

  private static final SnapshotHeader HEADER = new SnapshotHeader("dc:{dc}:users:meta", "gen-1", "", "1700-3", 42L);
  private static final List<SnapshotEntry> ENTRIES = List.of(
      new SnapshotEntry("s:a", Long.MAX_VALUE, new byte[] {1, 2, 3}),
      new SnapshotEntry("s:b", 1_000L, new byte[0]));

  private static final long LIMIT = 1 << 20;

  @TempDir
  Path directory;

  @Test
  void whatIsWrittenIsReadBack() throws IOException {
    SnapshotFile file = new SnapshotFile(directory.resolve("nested/users.snapshot"));
    file.write(HEADER, ENTRIES);

    SnapshotFile.Snapshot read = file.read(LIMIT);
    assertThat(read.header()).isEqualTo(HEADER);
    assertThat(read.entries()).hasSize(2);
    assertThat(read.entries().get(0).encodedKey()).isEqualTo("s:a");
    assertThat(read.entries().get(0).envelope()).containsExactly(1, 2, 3);
    assertThat(read.entries().get(1).expiresAtMillis()).isEqualTo(1_000L);
    assertThat(Files.list(file.path().getParent())).as("no temporary file left").hasSize(1);
  }

  @Test
  void aFlippedByteFailsTheChecksum() throws IOException {
    SnapshotFile file = written();
    byte[] bytes = Files.readAllBytes(file.path());
    bytes[15] ^= 0x01; // a character of the namespace: every length still fits
    Files.write(file.path(), bytes);

    assertThatThrownBy(() -> file.read(LIMIT)).isInstanceOf(UnreadableSnapshotException.class).hasMessageContaining("checksum");
  }

  @Test
  void aFileCutShortIsRefused() throws IOException {
    SnapshotFile file = written();
    byte[] bytes = Files.readAllBytes(file.path());
    Files.write(file.path(), Arrays.copyOf(bytes, bytes.length - 20));

    assertThatThrownBy(() -> file.read(LIMIT)).isInstanceOf(UnreadableSnapshotException.class);
  }

  @Test
  void hostileLengthsAreRefusedBeforeAnythingIsAllocated() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(raw);
    out.write("DCSNAP".getBytes(StandardCharsets.US_ASCII));
    out.writeInt(1);
    for (int i = 0; i < 4; i++) {
      out.writeInt(0);
    }
    out.writeLong(0);
    out.writeInt(Integer.MAX_VALUE);
    out.writeLong(0);
    Path path = directory.resolve("hostile.snapshot");
    Files.write(path, raw.toByteArray());

    assertThatThrownBy(() -> new SnapshotFile(path).read(LIMIT)).isInstanceOf(UnreadableSnapshotException.class)
        .hasMessageContaining("declares 2147483647 entries");
  }

  @Test
  void anotherFileOrFormatIsRefused() throws IOException {
    Path text = directory.resolve("text.snapshot");
    Files.writeString(text, "distcache.redis.uri=redis://x");
    assertThatThrownBy(() -> new SnapshotFile(text).read(LIMIT)).isInstanceOf(UnreadableSnapshotException.class)
        .hasMessageContaining("not a distcache snapshot");

    SnapshotFile file = written();
    byte[] bytes = Files.readAllBytes(file.path());
    bytes[9] = 2;
    Files.write(file.path(), bytes);
    assertThatThrownBy(() -> file.read(LIMIT)).isInstanceOf(UnreadableSnapshotException.class)
        .hasMessageContaining("format 2");
  }

  @Test
  void aFileBeyondTheLimitIsNotRead() throws IOException {
    SnapshotFile file = written();
    assertThatThrownBy(() -> file.read(10)).isInstanceOf(UnreadableSnapshotException.class)
        .hasMessageContaining("more than the 10 a snapshot of this near cache can take");
  }

  @Test
  void twoWritersOfOneFileLeaveOneWholeSnapshot() throws Exception {
    SnapshotFile first = new SnapshotFile(directory.resolve("users.snapshot"));
    SnapshotFile second = new SnapshotFile(directory.resolve("users.snapshot"));
    Thread other = new Thread(() -> {
      for (int i = 0; i < 50; i++) {
        try {
          second.write(HEADER, ENTRIES);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
    other.start();
    for (int i = 0; i < 50; i++) {
      first.write(HEADER, ENTRIES);
    }
    other.join();
    assertThat(first.read(LIMIT).entries()).hasSize(2);
    assertThat(Files.list(directory)).as("no temporary file left").hasSize(1);
  }

  private SnapshotFile written() throws IOException {
    SnapshotFile file = new SnapshotFile(directory.resolve("users.snapshot"));
    file.write(HEADER, ENTRIES);
    return file;
  }
}
