package dev.sixfinger.benchmarks.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.index.Index;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The heap of the index over {@code hosts × services} entries, and of a plain HashMap of the same
 * events (the baseline), measured as used heap after full collections, before and after filling.
 * Run it in a JVM of its own with {@code -XX:+UseSerialGC}, so that {@code System.gc()} is a full,
 * compacting collection and the used heap is exact. Prints one JSON line, prefixed with {@link
 * #PREFIX}.
 *
 * <pre>java -XX:+UseSerialGC -Xmx3g -cp ... IndexHeapFootprint [hosts [services]]</pre>
 */
public final class IndexHeapFootprint {
  public static final String PREFIX = "index-heap: ";

  private IndexHeapFootprint() {}

  public static void main(String[] args) throws Exception {
    int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int services = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    System.out.println(PREFIX + new ObjectMapper().writeValueAsString(measure(hosts, services)));
  }

  static Map<String, Object> measure(int hosts, int services) throws InterruptedException {
    long empty = usedAfterGc();
    IndexFixture fixture = IndexFixture.build(hosts, services);
    long withEvents = usedAfterGc();

    Index index = fixture.newIndex();
    long withIndex = usedAfterGc();
    int indexSize = index.size();
    index.close();
    index = null; // so that the next figure does not count it

    long withoutIndex = usedAfterGc();
    Map<IndexFixture.HostService, Event> map = fixture.newHashMap();
    long withMap = usedAfterGc();
    int mapSize = map.size();
    map = null;

    int entries = fixture.size();
    long events = withEvents - empty;
    long indexOverhead = withIndex - withEvents;
    long mapOverhead = withMap - withoutIndex;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("entries", entries);
    r.put("indexSize", indexSize);
    r.put("mapSize", mapSize);
    r.put("eventsBytes", events);
    r.put("indexOverheadBytes", indexOverhead);
    r.put("indexTotalBytes", events + indexOverhead);
    r.put("hashMapOverheadBytes", mapOverhead);
    r.put("hashMapTotalBytes", events + mapOverhead);
    r.put("eventBytesPerEntry", (double) events / entries);
    r.put("indexOverheadBytesPerEntry", (double) indexOverhead / entries);
    r.put("hashMapOverheadBytesPerEntry", (double) mapOverhead / entries);
    r.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    // Keeps the events reachable up to here.
    r.put("fixtureSize", fixture.size());
    return r;
  }

  private static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
