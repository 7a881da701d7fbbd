package dev.sixfinger.alerting.alert;

import dev.sixfinger.core.record.AlertRecord;

/**
 * One change of an alert's status, at the time of the record that carried it.
 *
 * @param from the status before, or null for the alert's first record
 */
public record Transition(AlertRecord.Status from, AlertRecord.Status to, long atMicros) {}
