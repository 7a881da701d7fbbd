package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Per network interface except {@code lo}, from {@code /proc/net/dev}: {@code net/rx-bytes-rate},
 * {@code net/tx-bytes-rate}, {@code net/rx-errors-rate} and {@code net/tx-errors-rate}, per second,
 * with attribute {@code interface}. The file shows the interfaces of the reader's network
 * namespace, so the agent must run in the host's.
 */
final class NetworkSampler implements Sampler {
  // Columns after "name:": rx bytes packets errs drop fifo frame compressed multicast,
  // then tx bytes packets errs drop fifo colls carrier compressed.
  private static final int RX_BYTES = 0;
  private static final int RX_ERRORS = 2;
  private static final int TX_BYTES = 8;
  private static final int TX_ERRORS = 10;

  private final Path devFile;
  private final CounterRates counters = new CounterRates();

  NetworkSampler(Path procRoot) {
    this.devFile = procRoot.resolve("net/dev");
  }

  @Override
  public String name() {
    return "net";
  }

  @Override
  public List<Event> sample(long nowMicros) throws IOException {
    ProcFile dev = ProcFile.read(devFile);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < dev.size(); i++) {
      String line = dev.line(i);
      int colon = line.indexOf(':');
      // The two header lines have '|' and no ':'.
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      if (name.equals("lo")) {
        continue;
      }
      // Old kernels glue the first number to the colon ("eth0:1234"), so split after it.
      String[] f = ProcFile.splitFields(line.substring(colon + 1));
      if (f.length < 16) {
        throw dev.error(i, "expected 16 counters after the interface name, found " + f.length);
      }
      add(events, "net/rx-bytes-rate", name, dev.number(i, f[RX_BYTES]), nowMicros);
      add(events, "net/tx-bytes-rate", name, dev.number(i, f[TX_BYTES]), nowMicros);
      add(events, "net/rx-errors-rate", name, dev.number(i, f[RX_ERRORS]), nowMicros);
      add(events, "net/tx-errors-rate", name, dev.number(i, f[TX_ERRORS]), nowMicros);
    }
    counters.forgetOthersThan(nowMicros);
    return events;
  }

  private void add(List<Event> events, String service, String name, long value, long nowMicros) {
    OptionalDouble rate = counters.perSecond(name + "/" + service, value, nowMicros);
    if (rate.isPresent()) {
      events.add(Events.metric(service, rate.getAsDouble(), nowMicros, "interface", name));
    }
  }
}
