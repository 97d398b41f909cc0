package io.distcache.checker;

import static java.util.Objects.requireNonNull;

import io.distcache.protocol.settings.Setting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code run} or {@code soak} command line, read against {@link CheckerSettingsTable}: every option known to the
 * command, given once at most, with a value its row's parser accepts.
 */
final class CheckerCommandLine {

  private final boolean soak;
  private final Map<Setting<?>, Object> values;

  private CheckerCommandLine(boolean soak, Map<Setting<?>, Object> values) {
    this.soak = soak;
    this.values = Map.copyOf(values);
  }

  /**
   * Reads {@code args}: the command, then {@code --option value} pairs.
   *
   * @throws IllegalArgumentException naming the command or option at fault, and what was expected
   */
  static CheckerCommandLine parse(String... args) {
    requireNonNull(args, "args");
    if (args.length == 0 || !(args[0].equals("run") || args[0].equals("soak"))) {
      throw new IllegalArgumentException("the first argument must be 'run' or 'soak'");
    }
    boolean soak = args[0].equals("soak");
    Map<Setting<?>, Object> values = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      Setting<?> setting = option(args[0], args[i], soak);
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      String text = args[++i];
      try {
        if (values.put(setting, setting.parse(text)) != null) {
          throw new IllegalArgumentException("given twice");
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(CheckerSettingsTable.option(setting) + " '" + text + "': " + e.getMessage(),
            e);
      }
    }
    return new CheckerCommandLine(soak, values);
  }

  private static Setting<?> option(String command, String arg, boolean soak) {
    Optional<Setting<?>> common = named(CheckerSettingsTable.RUN, arg);
    Optional<Setting<?>> soakOnly = named(CheckerSettingsTable.SOAK, arg);
    if (common.isPresent()) {
      return common.get();
    }
    if (soak && soakOnly.isPresent()) {
      return soakOnly.get();
    }
    throw new IllegalArgumentException("unknown option '" + arg + "' for " + command
        + (soakOnly.isPresent() ? " (soak only)" : ""));
  }

  private static Optional<Setting<?>> named(List<Setting<?>> settings, String arg) {
    return settings.stream().filter(setting -> arg.equals(CheckerSettingsTable.option(setting))).findFirst();
  }

  /** Whether the command is {@code soak}. */
  boolean soak() {
    return soak;
  }

  /** The option's value on the command line, or its row's default. */
  @SuppressWarnings("unchecked")
  <T> T get(Setting<T> setting) {
    return values.containsKey(setting) ? (T) values.get(setting) : setting.defaultValue();
  }

  /** The option's value when the command line gives it. */
  @SuppressWarnings("unchecked")
  <T> Optional<T> given(Setting<T> setting) {
    return Optional.ofNullable((T) values.get(setting));
  }
}
