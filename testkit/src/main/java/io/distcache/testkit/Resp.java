package io.distcache.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A minimal RESP2 client: one connection per call, so it keeps working across kills, restarts
 * and pauses without any reconnect logic, and needs neither redis-cli nor a client library.
 */
final class Resp {

  /**
   * What to send with {@code AUTH} before each command.
   *
   * @param user     ACL user name, or null for the default user ({@code requirepass})
   * @param password the password
   */
  record Credentials(String user, String password) {
  }

  /** An error reply ({@code -ERR ...}). */
  private record ErrorReply(String message) {
  }

  private static final byte[] CRLF = {'\r', '\n'};

  private Resp() {
  }

  /**
   * Sends one command and renders its reply as text: simple and bulk strings as they are,
   * integers as digits, arrays as their elements joined with {@code \n} (a nil element as an
   * empty line), a nil reply as {@code null}.
   *
   * @throws IllegalStateException if the server answers with an error (the message is the
   *                               server's), including a failed {@code AUTH}
   * @throws UncheckedIOException  if connecting, writing or reading fails or exceeds
   *                               {@code timeout} (the cause is then a
   *                               {@link java.net.SocketTimeoutException})
   */
  static String execute(String host, int port, Credentials credentials, Duration timeout, List<String> args) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      // AUTH is pipelined with the command: one round trip either way.
      if (credentials != null) {
        write(out, credentials.user() == null
            ? List.of("AUTH", credentials.password())
            : List.of("AUTH", credentials.user(), credentials.password()));
      }
      write(out, args);
      out.flush();
      if (credentials != null) {
        Object auth = read(in);
        if (auth instanceof ErrorReply error) {
          throw new IllegalStateException("AUTH failed on " + host + ":" + port + ": " + error.message());
        }
      }
      Object reply = read(in);
      if (reply instanceof ErrorReply error) {
        throw new IllegalStateException(error.message());
      }
      return render(reply);
    } catch (IOException e) {
      throw new UncheckedIOException(args.get(0) + " to " + host + ":" + port + " failed: " + e, e);
    }
  }

  private static void write(OutputStream out, List<String> args) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    buffer.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buffer.writeBytes(bytes);
      buffer.writeBytes(CRLF);
    }
    buffer.writeTo(out);
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by the server");
    }
    String line = readLine(in);
    return switch (type) {
      case '+' -> line;
      case '-' -> new ErrorReply(line);
      case ':' -> Long.parseLong(line);
      case '$' -> readBulk(in, Integer.parseInt(line));
      case '*' -> readArray(in, Integer.parseInt(line));
      default -> throw new IOException("Unexpected RESP type '" + (char) type + "' followed by " + line);
    };
  }

  private static String readBulk(InputStream in, int length) throws IOException {
    if (length < 0) {
      return null;
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
      throw new EOFException("truncated bulk reply");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static List<Object> readArray(InputStream in, int size) throws IOException {
    if (size < 0) {
      return null;
    }
    List<Object> elements = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      elements.add(read(in));
    }
    return elements;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\r') {
      if (b < 0) {
        throw new EOFException("truncated reply line");
      }
      line.write(b);
    }
    if (in.read() != '\n') {
      throw new IOException("Malformed reply line: CR without LF");
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private static String render(Object reply) {
    if (reply instanceof List<?> elements) {
      return elements.stream()
          .map(element -> element == null ? "" : render(element))
          .collect(Collectors.joining("\n"));
    }
    if (reply instanceof ErrorReply error) {
      return error.message();
    }
    return reply == null ? null : reply.toString();
  }
}
