package dev.sixfinger.rules.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Stable identities: the same labels give the same fingerprint in every process and version. */
final class Fingerprints {
  private Fingerprints() {}

  /** 16 hex digits of SHA-256 over the labels sorted by name, as {@code name=value\n}. */
  static String of(Map<String, String> labels) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(labels).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    return sha256(text.toString()).substring(0, 16);
  }

  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
