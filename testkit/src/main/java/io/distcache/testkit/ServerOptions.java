package io.distcache.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The command lines the testkit starts {@code redis-server} with, and what it reads back from extra options. */
final class ServerOptions {

  private ServerOptions() {
  }

  /**
   * A master's command line: loopback only, nothing persisted, diskless replication, the log in {@code dir}, then
   * {@code extra}, which redis-server lets override what comes before.
   */
  static List<String> commandLine(RedisBinary binary, String host, int port, Path dir, List<String> extra) {
    List<String> line = ownOptions(binary, host, port, dir);
    // Last, because redis-server lets a later option override an earlier one.
    line.addAll(extra);
    return line;
  }

  /** A replica's command line: a master's, replicating {@code masterPort} with its credentials, if any. */
  static List<String> replicaCommandLine(RedisBinary binary, String host, int port, Path dir, int masterPort,
      Resp.Credentials masterCredentials, List<String> extra) {
    List<String> line = ownOptions(binary, host, port, dir);
    line.addAll(List.of("--replicaof", host, Integer.toString(masterPort), "--replica-read-only", "yes"));
    if (masterCredentials != null) {
      line.addAll(List.of("--masterauth", masterCredentials.password()));
      if (masterCredentials.user() != null) {
        line.addAll(List.of("--masteruser", masterCredentials.user()));
      }
    }
    line.addAll(extra);
    return line;
  }

  private static List<String> ownOptions(RedisBinary binary, String host, int port, Path dir) {
    return new ArrayList<>(List.of(binary.path().toString(),
        "--port", Integer.toString(port),
        "--bind", host,
        "--protected-mode", "no",
        "--daemonize", "no",
        "--dir", dir.toString(),
        "--save", "",
        "--appendonly", "no",
        "--loglevel", "warning",
        "--logfile", dir.resolve("redis.log").toString(),
        // Replication through sockets only: a master would otherwise write a dump.rdb for
        // each full sync and reload it after a restart, and Redis 7 delays the first sync
        // by 5 s by default.
        "--repl-diskless-sync", "yes",
        "--repl-diskless-sync-delay", "0",
        "--repl-diskless-load", "swapdb"));
  }

  /** The {@code --name value...} groups of {@code args} whose name is in {@code names}. */
  static List<String> optionGroups(List<String> args, Set<String> names) {
    List<String> selected = new ArrayList<>();
    boolean keep = false;
    for (String arg : args) {
      if (arg.startsWith("--")) {
        keep = names.contains(arg);
      }
      if (keep) {
        selected.add(arg);
      }
    }
    return selected;
  }

  /** The credentials a {@code --requirepass} option among {@code args} sets, the last one winning. */
  static Resp.Credentials passwordIn(List<String> args) {
    Resp.Credentials found = null;
    for (int i = 0; i < args.size() - 1; i++) {
      if (args.get(i).equals("--requirepass")) {
        found = args.get(i + 1).isEmpty() ? null : new Resp.Credentials(null, args.get(i + 1));
      }
    }
    return found;
  }
}
