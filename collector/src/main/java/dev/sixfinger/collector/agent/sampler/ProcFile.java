package dev.sixfinger.collector.agent.sampler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code /proc} file read in one go (the kernel builds it on read, so one read is one consistent
 * snapshot), with parse helpers whose errors name the file and the line.
 */
final class ProcFile {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final int MAX_QUOTED = 120;

  private final Path path;
  private final List<String> lines;

  private ProcFile(Path path, List<String> lines) {
    this.path = path;
    this.lines = lines;
  }

  static ProcFile read(Path path) throws IOException {
    try {
      // ISO-8859-1 maps every byte to a char, so odd bytes (mount points) never fail the read.
      return new ProcFile(path, Files.readAllLines(path, StandardCharsets.ISO_8859_1));
    } catch (NoSuchFileException e) {
      throw new IOException("cannot read " + path + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IOException("cannot read " + path + ": permission denied", e);
    } catch (IOException e) {
      throw new IOException("cannot read " + path + ": " + e, e);
    }
  }

  Path path() {
    return path;
  }

  int size() {
    return lines.size();
  }

  String line(int index) {
    return lines.get(index);
  }

  /** The whitespace-separated fields of a line; an empty array for a blank line. */
  String[] fields(int index) {
    return splitFields(lines.get(index));
  }

  static String[] splitFields(String text) {
    String trimmed = text.trim();
    return trimmed.isEmpty() ? new String[0] : WHITESPACE.split(trimmed);
  }

  /** Fields of a line, failing when there are fewer than {@code min}. */
  String[] fields(int index, int min) throws IOException {
    String[] fields = fields(index);
    if (fields.length < min) {
      throw error(index, "expected at least " + min + " fields, found " + fields.length);
    }
    return fields;
  }

  /** Index of the first line whose first field is {@code key}, or -1. */
  int find(String key) {
    for (int i = 0; i < lines.size(); i++) {
      String[] fields = fields(i);
      if (fields.length > 0 && fields[0].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The number after {@code key} on a {@code key value} or {@code key: value [kB]} line, as in
   * {@code /proc/meminfo}, {@code /proc/vmstat} and {@code /proc/stat}.
   */
  long valueOf(String key) throws IOException {
    int index = find(key);
    if (index < 0) {
      index = find(key + ":");
    }
    if (index < 0) {
      throw new IOException(path + ": no '" + key + "' line");
    }
    return number(index, fields(index, 2)[1]);
  }

  long number(int index, String token) throws IOException {
    try {
      return Long.parseLong(token);
    } catch (NumberFormatException e) {
      throw error(index, quote(token) + " is not an integer");
    }
  }

  double decimal(int index, String token) throws IOException {
    try {
      return Double.parseDouble(token);
    } catch (NumberFormatException e) {
      throw error(index, quote(token) + " is not a number");
    }
  }

  /** An error about one line: {@code path:line: problem: 'text'}. */
  IOException error(int index, String problem) {
    return new IOException(
        path + ":" + (index + 1) + ": " + problem + ": " + quote(lines.get(index)));
  }

  /** Quotes text for a message, cut short: some lines (intr) run to kilobytes. */
  private static String quote(String text) {
    return "'" + (text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text) + "'";
  }
}
