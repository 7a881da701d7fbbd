package dev.sixfinger.alerting.notify;

import dev.sixfinger.alerting.dispatch.Notification;

/**
 * Delivers notifications to one kind of receiver. Implementations block until the receiver took the
 * notification or gave up (bounded retries), and never throw for delivery problems: they return a
 * failed {@link NotifyResult} with the receiver's own error text.
 */
public interface Notifier {
  NotifyResult notify(Notification notification);
}
