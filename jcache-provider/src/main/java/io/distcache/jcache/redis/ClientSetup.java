package io.distcache.jcache.redis;

import io.distcache.jcache.configuration.ProviderSettings;
import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.protocol.sabotage.Sabotage;
import io.distcache.protocol.wire.StringBytesCodec;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.File;

/** The Lettuce options and codec every client of a CacheManager uses, whatever the topology. */
final class ClientSetup {

  /** Keys are strings, values the raw bytes of the namespace's envelopes. */
  static final RedisCodec<String, byte[]> CODEC = StringBytesCodec.INSTANCE;

  private ClientSetup() {
  }

  /**
   * Reconnecting RESP2 clients that reject commands while disconnected instead of queueing them (Lettuce's default
   * would block a caller until its timeout), so an outage surfaces fast; TLS when a trust store is set.
   */
  static ClientOptions options(ProviderSettings settings) {
    ClientOptions.Builder options = ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .protocolVersion(ProtocolVersion.RESP2)
        .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
        .timeoutOptions(Sabotage.IGNORE_COMMAND_TIMEOUT.isActive()
            ? TimeoutOptions.builder().timeoutCommands(false).build() : TimeoutOptions.enabled());
    if (settings.trustStore() != null) {
      SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
      String password = settings.trustStorePassword();
      ssl.truststore(new File(settings.trustStore()), password == null ? null : password);
      options.sslOptions(ssl.build());
    }
    return options.build();
  }

  /** Lettuce's read-from for a replica mode. */
  static io.lettuce.core.ReadFrom lettuceReadFrom(ReadFrom readFrom) {
    return readFrom == ReadFrom.REPLICA
        ? io.lettuce.core.ReadFrom.REPLICA : io.lettuce.core.ReadFrom.REPLICA_PREFERRED;
  }
}
