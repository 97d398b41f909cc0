package io.distcache.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a server certificate for {@code 127.0.0.1}, made with the {@code openssl}
 * CLI at test time, and a PKCS12 trust store holding the CA made with the JDK's {@code keytool}.
 *
 * @param caCertificate the CA certificate (PEM)
 * @param serverCertificate the server certificate signed by the CA (PEM), for {@code 127.0.0.1}
 * @param serverKey the server's private key (PEM)
 * @param trustStore a PKCS12 trust store with the CA
 * @param trustStorePassword its password
 */
public record Certificates(Path caCertificate, Path serverCertificate, Path serverKey, Path trustStore,
    String trustStorePassword) {

  /** Whether {@code openssl} can be run. */
  public static boolean opensslAvailable() {
    try {
      return run(Path.of(System.getProperty("java.io.tmpdir")), List.of("openssl", "version"));
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** Creates the CA, the server certificate and the trust store in {@code dir}. */
  public static Certificates create(Path dir, String trustStorePassword) {
    Path caKey = dir.resolve("ca.key");
    Path ca = dir.resolve("ca.crt");
    Path key = dir.resolve("server.key");
    Path request = dir.resolve("server.csr");
    Path certificate = dir.resolve("server.crt");
    Path extensions = dir.resolve("server.ext");
    Path trustStore = dir.resolve("trust.p12");
    try {
      Files.writeString(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    require(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=distcache test CA", "-keyout", caKey.toString(), "-out", ca.toString()));
    require(dir, List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", key.toString(), "-out", request.toString()));
    require(dir, List.of("openssl", "x509", "-req", "-days", "2", "-in", request.toString(), "-CA", ca.toString(),
        "-CAkey", caKey.toString(), "-CAcreateserial", "-extfile", extensions.toString(), "-out",
        certificate.toString()));
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    require(dir, List.of(keytool, "-importcert", "-noprompt", "-alias", "distcache-test-ca", "-file", ca.toString(),
        "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", trustStorePassword));
    return new Certificates(ca, certificate, key, trustStore, trustStorePassword);
  }

  private static void require(Path dir, List<String> command) {
    if (!run(dir, command)) {
      throw new IllegalStateException("failed: " + String.join(" ", command) + " (output in " + dir + "/tool.out)");
    }
  }

  private static boolean run(Path dir, List<String> command) {
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("tool.out").toFile())).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
