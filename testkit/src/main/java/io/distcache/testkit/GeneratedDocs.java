package io.distcache.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Checks, or rewrites, the sections of a Markdown document that code generates: each lies between
 * {@code <!-- generated from <table>: <name> -->} and {@code <!-- end of generated <name> -->}. A test builds the
 * sections' text from the code and calls {@link #check}: it fails while the document differs, and rewrites the
 * document instead when the JVM runs with {@code -D}{@value #WRITE}{@code =true}.
 */
public final class GeneratedDocs {

  /** The system property that makes {@link #check} rewrite the document. */
  public static final String WRITE = "distcache.write-reference";

  private GeneratedDocs() {
  }

  /**
   * The document with each named section replaced by its text; rewrites the file when {@value #WRITE} is set.
   *
   * @param table the code the sections come from, as the markers name it (e.g. {@code SettingsTable})
   * @param sections the text of each section by name, in Markdown, each line ending with a line break
   * @return the document as it is and as it should be: equal when it is up to date, or was just rewritten
   */
  public static Comparison check(Path document, String table, Map<String, String> sections) {
    Objects.requireNonNull(document, "document");
    try {
      String current = Files.readString(document, StandardCharsets.UTF_8);
      String generated = current;
      for (Map.Entry<String, String> section : sections.entrySet()) {
        generated = withSection(generated, document, table, section.getKey(), section.getValue());
      }
      if (Boolean.getBoolean(WRITE) && !generated.equals(current)) {
        Files.writeString(document, generated, StandardCharsets.UTF_8);
        System.out.println("GeneratedDocs: rewrote the generated sections of " + document);
        return new Comparison(generated, generated);
      }
      return new Comparison(current, generated);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + document, e);
    }
  }

  private static String withSection(String text, Path document, String table, String name, String content) {
    String begin = "<!-- generated from " + table + ": " + name + " -->\n";
    String end = "<!-- end of generated " + name + " -->";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalStateException(document + " lacks the markers " + begin.strip() + " ... " + end
          + " around its generated " + name);
    }
    return text.substring(0, from + begin.length()) + content + text.substring(to);
  }

  /**
   * A document as it is and as the code would generate it.
   *
   * @param current the document's text
   * @param generated the text with every section generated
   */
  public record Comparison(String current, String generated) {
  }
}
