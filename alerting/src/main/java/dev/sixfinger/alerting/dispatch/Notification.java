package dev.sixfinger.alerting.dispatch;

import dev.sixfinger.alerting.alert.Alert;
import dev.sixfinger.alerting.config.Receiver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One message for one receiver about one aggregation group, as {@link Dispatcher#tick} decides it.
 * After trying to deliver it, pass it back to {@link Dispatcher#recordResult}.
 *
 * @param firing alerts to show as firing (not silenced, not inhibited; flapping ones held firing)
 * @param resolved alerts this receiver was told fire and that have resolved since
 * @param stillOpen fingerprints this receiver was told fire that are now silenced or inhibited but
 *     not resolved: they are not shown, but keep the group's incident open until they resolve
 * @param flapping fingerprints among {@code firing} that are held because they flap
 * @param createdAtMicros the dispatcher's time when it decided to notify
 */
public record Notification(
    String groupKey,
    Receiver receiver,
    Map<String, String> groupLabels,
    List<Alert> firing,
    List<Alert> resolved,
    Set<String> stillOpen,
    Set<String> flapping,
    long createdAtMicros,
    URI externalUrl) {

  public Notification {
    groupLabels = Map.copyOf(groupLabels);
    firing = List.copyOf(firing);
    resolved = List.copyOf(resolved);
    stillOpen = Set.copyOf(stillOpen);
    flapping = Set.copyOf(flapping);
  }

  /** Whether anything the receiver was told about is still open after this message. */
  public boolean isFiring() {
    return !firing.isEmpty() || !stillOpen.isEmpty();
  }

  /** What the receiver believes fires once this is delivered. */
  public Set<String> firingAfter() {
    Set<String> out = new LinkedHashSet<>();
    firing.forEach(a -> out.add(a.fingerprint()));
    out.addAll(stillOpen);
    return out;
  }

  public String receiverName() {
    return receiver.name();
  }

  /**
   * The receiver-side identity of this group's incident: SHA-256 (hex, 64 characters) of receiver
   * name and group key, the same in every process and after every restart.
   */
  public String dedupKey() {
    return dedupKey(receiver.name(), groupKey);
  }

  public static String dedupKey(String receiverName, String groupKey) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(receiverName.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(groupKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
