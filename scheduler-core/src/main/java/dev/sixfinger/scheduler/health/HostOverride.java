package dev.sixfinger.scheduler.health;

/** An operator's word on a host; it wins over automation until it expires. */
public record HostOverride(
    String host,
    HealthState state,
    String author,
    String reason,
    long setAtMicros,
    long expiresAtMicros) {
  public static final long MAX_TTL_MICROS = 30L * 24 * 3600 * 1_000_000;

  public HostOverride {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("override host must not be empty");
    }
    if (state == null) {
      throw new IllegalArgumentException("override state must be healthy, cordon or drain");
    }
    if (author == null || author.isBlank()) {
      throw new IllegalArgumentException("override author must not be empty");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("override reason must not be empty");
    }
    long ttl = expiresAtMicros - setAtMicros;
    if (ttl <= 0 || ttl > MAX_TTL_MICROS) {
      throw new IllegalArgumentException(
          "override ttl must be more than 0 and at most 30 days, got " + ttl / 1_000_000 + " s");
    }
  }
}
