package dev.sixfinger.indexer.document;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Daily index names, {@code PREFIX-DATASET-YYYY.MM.DD} in UTC, taken from the record's own time so
 * that a replay lands in the same index as the first run.
 */
public final class IndexNames {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private final String prefix;
  private final Pattern daily;
  // One day's name per dataset is cached: almost every record falls on the same day as the last.
  private final long[] cachedDay = new long[Dataset.values().length];
  private final String[] cachedName = new String[Dataset.values().length];

  public IndexNames(String prefix) {
    if (prefix == null || !prefix.matches("[a-z0-9][a-z0-9_.-]{0,100}")) {
      throw new IllegalArgumentException(
          "index prefix '"
              + prefix
              + "' must be 1 to 101 lower-case letters, digits, '_', '-' or '.', not starting with"
              + " a symbol");
    }
    this.prefix = prefix;
    this.daily = Pattern.compile(Pattern.quote(prefix) + "-([a-z]+)-(\\d{4}\\.\\d{2}\\.\\d{2})");
    java.util.Arrays.fill(cachedDay, Long.MIN_VALUE);
  }

  public String prefix() {
    return prefix;
  }

  /** The index for a record of {@code dataset} at {@code timeMicros}. */
  public String index(Dataset dataset, long timeMicros) {
    long day = Math.floorDiv(timeMicros, MICROS_PER_DAY);
    int i = dataset.ordinal();
    if (cachedDay[i] != day) {
      cachedName[i] = name(dataset, LocalDate.ofEpochDay(day));
      cachedDay[i] = day;
    }
    return cachedName[i];
  }

  public String name(Dataset dataset, LocalDate day) {
    return prefix + "-" + dataset.indexName() + "-" + DAY.format(day);
  }

  /** The pattern matching every daily index of {@code dataset}, for templates and searches. */
  public String pattern(Dataset dataset) {
    return prefix + "-" + dataset.indexName() + "-*";
  }

  /** The day of one of our daily indices, or empty for any other name. */
  public Optional<LocalDate> dayOf(String index) {
    Matcher m = daily.matcher(index);
    if (!m.matches() || !isDataset(m.group(1))) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(m.group(2), DAY));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static boolean isDataset(String name) {
    for (Dataset d : Dataset.values()) {
      if (d.indexName().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
