package dev.sixfinger.server.kibana;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The Kibana saved objects shipped in the dashboards module, from the classpath. */
public final class KibanaObjects {
  public static final String RESOURCE = "sixfinger/kibana/sixfinger.ndjson";
  public static final String FILE_NAME = "sixfinger.ndjson";

  private KibanaObjects() {}

  public static String ndjson() {
    try (InputStream in = KibanaObjects.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
