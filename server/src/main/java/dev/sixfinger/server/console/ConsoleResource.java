package dev.sixfinger.server.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's static files (module {@code dashboards}, classpath {@code sixfinger/console/})
 * at {@code /}: the page at {@code /} and its scripts and styles beside it. A Jersey resource
 * rather than an asset servlet, so Jersey keeps {@code /*} and every {@code /api/v1/...} path works
 * as before; only plain file names match, so nothing outside the folder can be asked for.
 *
 * <p>Caching: {@code no-cache} with an ETag, so a browser revalidates (a cheap 304) and never runs
 * the scripts of an older server after an upgrade.
 */
@Path("/")
public class ConsoleResource {
  static final String ROOT = "sixfinger/console/";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon");

  private record Asset(byte[] bytes, String type, String etag) {}

  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  @GET
  public Response index(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
    return serve("index.html", ifNoneMatch);
  }

  @GET
  @Path("{file: [A-Za-z0-9][A-Za-z0-9_-]*\\.(html|js|css|svg|png|ico)}")
  public Response file(
      @PathParam("file") String file, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
    return serve(file, ifNoneMatch);
  }

  private Response serve(String file, String ifNoneMatch) {
    Asset a = cache.computeIfAbsent(file, ConsoleResource::load);
    if (a.bytes() == null) {
      cache.remove(file);
      throw new NotFoundException("the console has no file " + file);
    }
    Response.ResponseBuilder r =
        a.etag().equals(ifNoneMatch) ? Response.notModified() : Response.ok(a.bytes(), a.type());
    return r.header(HttpHeaders.ETAG, a.etag())
        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
        .header("X-Content-Type-Options", "nosniff")
        .build();
  }

  private static Asset load(String file) {
    try (InputStream in = ConsoleResource.class.getClassLoader().getResourceAsStream(ROOT + file)) {
      if (in == null) {
        return new Asset(null, null, null);
      }
      byte[] bytes = in.readAllBytes();
      String ext = file.substring(file.lastIndexOf('.') + 1);
      String etag =
          "\""
              + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8)
              + "\"";
      return new Asset(bytes, TYPES.get(ext), etag);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
