package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;

/** The one shape of event samplers produce: service, metric, time, maybe one attribute. */
final class Events {
  private Events() {}

  static Event metric(String service, Number value, long nowMicros) {
    return Event.builder().service(service).metric(value).timeMicros(nowMicros).build();
  }

  static Event metric(
      String service, Number value, long nowMicros, String attribute, String attributeValue) {
    return Event.builder()
        .service(service)
        .metric(value)
        .timeMicros(nowMicros)
        .attribute(attribute, attributeValue)
        .build();
  }
}
