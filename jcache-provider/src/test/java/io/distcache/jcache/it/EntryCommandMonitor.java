package io.distcache.jcache.it;

import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Records, through Redis {@code MONITOR}, the commands clients send about the entries of one
 * namespace.
 *
 * <p>Command statistics ({@code INFO commandstats}) count every command on the server, including
 * what runs on its own schedule: the change-log follower's {@code XREAD} and generation checks, and
 * the replica heartbeat ({@code SET}/{@code GET} of {@code <prefix>:hb}) that managers reading from
 * replicas send every second. {@code MONITOR} shows each command with its keys, so this keeps only
 * commands naming one of the namespace's entry keys — {@code GET}, {@code MGET}, {@code EVALSHA},
 * {@code SCAN}, {@code UNLINK} — sent by clients; commands run inside scripts are left out, so each
 * recorded command is one request from a cache.
 */
final class EntryCommandMonitor implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final String entryKeyPrefix;
  private final RedisServer redis;
  private final Socket socket;
  private final BufferedReader in;
  private final List<List<String>> commands = new CopyOnWriteArrayList<>();
  private final List<String> echoes = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private EntryCommandMonitor(RedisServer redis, Namespace namespace) throws IOException {
    this.redis = redis;
    this.entryKeyPrefix = namespace.entryKey("");
    this.socket = new Socket();
    socket.connect(new InetSocketAddress(redis.host(), redis.port()), (int) TIMEOUT.toMillis());
    OutputStream out = socket.getOutputStream();
    out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    String ok = in.readLine();
    if (!"+OK".equals(ok)) {
      throw new IllegalStateException("MONITOR answered " + ok);
    }
    this.reader = new Thread(this::readLines, "monitor-" + redis.port());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts monitoring the entries of namespace {@code namespace} under key prefix {@code keyPrefix}. */
  static EntryCommandMonitor start(RedisServer redis, String keyPrefix, String namespace) {
    try {
      return new EntryCommandMonitor(redis, Namespace.of(keyPrefix, namespace));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The names (lower case) of the entry commands clients sent since the last {@link #clear()}, in
   * order. Waits until the monitor has seen everything the server received before this call.
   */
  List<String> names() {
    sync();
    return commands.stream().map(args -> args.get(0).toLowerCase(Locale.ROOT)).toList();
  }

  /** Forgets what was recorded so far, after everything the server received before this call. */
  void clear() {
    sync();
    commands.clear();
  }

  /** Sends a unique ECHO and waits until MONITOR shows it: everything sent before it was shown too. */
  private void sync() {
    String marker = "monitor-sync-" + UUID.randomUUID();
    redis.command("ECHO", marker);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!echoes.contains(marker)) {
      if (System.nanoTime() > deadline || !reader.isAlive()) {
        throw new IllegalStateException("MONITOR did not show " + marker + " within " + TIMEOUT);
      }
      sleepBriefly();
    }
  }

  private void readLines() {
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        record(line);
      }
    } catch (IOException closed) {
      // close() ends the thread this way
    }
  }

  private void record(String line) {
    // +1700000000.123456 [0 127.0.0.1:54321] "GET" "dc:users:k:42"   (scripts show as [0 lua])
    int close = line.indexOf("] ");
    if (!line.startsWith("+") || close < 0) {
      return;
    }
    boolean fromScript = line.substring(0, close).endsWith(" lua");
    List<String> args = parseArguments(line.substring(close + 2));
    if (args.isEmpty()) {
      return;
    }
    if (args.get(0).equalsIgnoreCase("ECHO") && args.size() == 2) {
      echoes.add(args.get(1));
    } else if (!fromScript && args.stream().skip(1).anyMatch(arg -> arg.startsWith(entryKeyPrefix))) {
      commands.add(args);
    }
  }

  private static List<String> parseArguments(String text) {
    List<String> args = new ArrayList<>();
    StringBuilder current = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (current == null) {
        if (c == '"') {
          current = new StringBuilder();
        }
      } else if (c == '\\' && i + 1 < text.length()) {
        current.append(text.charAt(++i));
      } else if (c == '"') {
        args.add(current.toString());
        current = null;
      } else {
        current.append(c);
      }
    }
    return args;
  }

  private static void sleepBriefly() {
    try {
      TimeUnit.MILLISECONDS.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
      reader.join(TIMEOUT.toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
