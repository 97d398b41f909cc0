package io.distcache.jcache.snapshot;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The file of one cache's snapshot. Written to a temporary file beside it and renamed over it, so that a reader
 * finds the previous snapshot or the new one, never a part. Read back only whole: a file that is not a snapshot,
 * is of another format version, is cut short or fails its checksum is refused.
 *
 * <p>Layout (big-endian): the magic {@code DCSNAP}, the format version, the {@link SnapshotHeader} fields, the
 * number of entries, each entry (key, expiry, value bytes), and the CRC-32 of everything before it. Every length
 * is checked against the bytes the file still holds before anything is allocated, and the file against a size limit.
 */
public final class SnapshotFile {

  private static final byte[] MAGIC = "DCSNAP".getBytes(StandardCharsets.US_ASCII);
  private static final int FORMAT = 1;
  /** Longest string field (keys, ids); longer ones mean a damaged file. */
  private static final int MAX_STRING = 1 << 20;
  /** Bytes of the smallest entry: key length, expiry and value length. */
  private static final int ENTRY_MINIMUM = 4 + 8 + 4;

  private final Path path;

  /** The snapshot file at {@code path}. */
  public SnapshotFile(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  /** Where the snapshot lives. */
  public Path path() {
    return path;
  }

  /** Whether a snapshot file exists. */
  public boolean exists() {
    return Files.isRegularFile(path);
  }

  /**
   * Writes a snapshot atomically, replacing the previous one.
   *
   * @throws IOException when the directory cannot be written; the previous snapshot is then left as it was
   */
  public synchronized void write(SnapshotHeader header, List<SnapshotEntry> entries) throws IOException {
    Path directory = path.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    // A name of its own: another writer of the same file (a second JVM given the same directory) must not mix in.
    Path temporary = Files.createTempFile(directory, path.getFileName().toString(), ".tmp");
    try {
      writeTo(temporary, header, entries);
      move(temporary);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void writeTo(Path temporary, SnapshotHeader header, List<SnapshotEntry> entries) throws IOException {
    CRC32 crc = new CRC32();
    try (FileOutputStream file = new FileOutputStream(temporary.toFile());
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(file, 1 << 16),
            crc))) {
      out.write(MAGIC);
      out.writeInt(FORMAT);
      writeString(out, header.namespace());
      writeString(out, header.generation());
      writeString(out, header.space());
      writeString(out, header.logId());
      out.writeLong(header.takenAtMillis());
      out.writeInt(entries.size());
      for (SnapshotEntry entry : entries) {
        writeString(out, entry.encodedKey());
        out.writeLong(entry.expiresAtMillis());
        out.writeInt(entry.envelope().length);
        out.write(entry.envelope());
      }
      out.flush();
      // the checksum itself is not part of what it covers
      new DataOutputStream(file).writeLong(crc.getValue());
      // on disk before the rename: a crash must leave the old snapshot or the whole new one
      file.getFD().sync();
    }
  }

  private void move(Path temporary) throws IOException {
    try {
      Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Reads the whole snapshot.
   *
   * @param maxBytes the largest file to read: a bigger one is refused, not loaded into the heap
   * @throws UnreadableSnapshotException when the file is not a whole snapshot of this format, or too big
   * @throws IOException when it cannot be read at all
   */
  public Snapshot read(long maxBytes) throws IOException {
    long size = Files.size(path);
    if (size > maxBytes) {
      throw new UnreadableSnapshotException(path + " holds " + size + " bytes, more than the " + maxBytes
          + " a snapshot of this near cache can take");
    }
    CRC32 crc = new CRC32();
    try (InputStream file = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      Bounded in = new Bounded(new DataInputStream(new CheckedInputStream(file, crc)), size - Long.BYTES);
      if (!Arrays.equals(in.bytes(MAGIC.length), MAGIC)) {
        throw new UnreadableSnapshotException(path + " is not a distcache snapshot");
      }
      int format = in.readInt();
      if (format != FORMAT) {
        throw new UnreadableSnapshotException(path + " has snapshot format " + format + "; this release reads "
            + FORMAT);
      }
      SnapshotHeader header = new SnapshotHeader(in.string(), in.string(), in.string(), in.string(), in.readLong());
      int count = in.readInt();
      if (count < 0 || count > in.remaining() / ENTRY_MINIMUM) {
        throw new UnreadableSnapshotException(path + " declares " + count + " entries, more than it holds");
      }
      List<SnapshotEntry> entries = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        entries.add(new SnapshotEntry(in.string(), in.readLong(), in.bytes(in.readInt())));
      }
      long computed = crc.getValue();
      if (in.remaining() != 0 || new DataInputStream(file).readLong() != computed) {
        throw new UnreadableSnapshotException(path + " fails its checksum (damaged or written by something else)");
      }
      return new Snapshot(header, entries);
    } catch (EOFException e) {
      throw new UnreadableSnapshotException(path + " is cut short");
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** A snapshot read back: its header and entries. */
  public record Snapshot(SnapshotHeader header, List<SnapshotEntry> entries) {
  }

  /** Reads with every declared length checked against the bytes left before the checksum. */
  private final class Bounded {

    private final DataInputStream data;
    private final long end;
    private long position;

    Bounded(DataInputStream data, long end) {
      this.data = data;
      this.end = end;
    }

    long remaining() {
      return end - position;
    }

    int readInt() throws IOException {
      take(Integer.BYTES);
      return data.readInt();
    }

    long readLong() throws IOException {
      take(Long.BYTES);
      return data.readLong();
    }

    byte[] bytes(int length) throws IOException {
      take(length);
      byte[] bytes = new byte[length];
      data.readFully(bytes);
      return bytes;
    }

    String string() throws IOException {
      int length = readInt();
      if (length > MAX_STRING) {
        throw new UnreadableSnapshotException(path + " declares a key or id of " + length + " bytes");
      }
      return new String(bytes(length), StandardCharsets.UTF_8);
    }

    private void take(long length) throws UnreadableSnapshotException {
      if (length < 0 || length > remaining()) {
        throw new UnreadableSnapshotException(path + " declares a field of " + length + " bytes, more than it holds");
      }
      position += length;
    }
  }
}
