package dev.sixfinger.alerting.notify;

/**
 * The outcome of delivering one notification.
 *
 * @param delivered whether the receiver accepted it (or there was nothing it needed to hear)
 * @param attempts HTTP requests made
 * @param status the last HTTP status, or 0 if none was received
 * @param detail the receiver's answer or why it failed, for logs and the notification log
 */
public record NotifyResult(boolean delivered, int attempts, int status, String detail) {
  public static NotifyResult delivered(int attempts, int status, String detail) {
    return new NotifyResult(true, attempts, status, detail);
  }

  public static NotifyResult failed(int attempts, int status, String detail) {
    return new NotifyResult(false, attempts, status, detail);
  }

  /** Nothing had to be sent: counts as delivered. */
  public static NotifyResult nothingToSend(String why) {
    return new NotifyResult(true, 0, 0, why);
  }
}
