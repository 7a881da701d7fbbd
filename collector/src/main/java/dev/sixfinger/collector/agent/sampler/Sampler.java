package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.util.List;

/**
 * Reads one kind of host metric and turns it into events. The agent calls every sampler once per
 * interval, always from the same thread, and stamps host, tags, attributes and ttl on what comes
 * back; a sampler sets only service, metric, time and, where it has one, an attribute naming the
 * device, mount or interface.
 */
public interface Sampler {
  /** A short name for logs and configuration, e.g. {@code swap}. */
  String name();

  /**
   * Samples now. Rate samplers remember counters between calls, so the first call only primes them.
   *
   * @param nowMicros the sample time, used both as event time and to compute rates
   * @throws IOException when a file cannot be read or parsed; the message names the file and line
   */
  List<Event> sample(long nowMicros) throws IOException;
}
