package dev.sixfinger.alerting.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * POSTs JSON with bounded retries: on I/O errors, 429 and 5xx it waits (exponential backoff with
 * full jitter, at least the {@code Retry-After} asked for) and tries again; any other status is
 * final. Every send first takes a token from the rate limiter of its key. Thread-safe.
 */
public final class HttpSender {
  /** Per request. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final RetryPolicy retry;
  private final RateLimiter limiter;
  private final Sleeper sleeper;

  public HttpSender(HttpClient http, RetryPolicy retry, RateLimiter limiter, Sleeper sleeper) {
    this.http = http;
    this.retry = retry;
    this.limiter = limiter;
    this.sleeper = sleeper;
  }

  /** A client with a 10 s connect timeout, the default retry policy and real sleeps. */
  public static HttpSender standard(RateLimiter limiter) {
    return new HttpSender(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        RetryPolicy.DEFAULT,
        limiter,
        Sleeper.real());
  }

  /** The last answer, or the last I/O error (status 0, body the error). */
  public record Response(int status, String body, int attempts) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  public Response post(URI uri, byte[] json, String limitKey) throws InterruptedException {
    int status = 0;
    String body = "";
    for (int attempt = 1; ; attempt++) {
      Duration wait = limiter.reserve(limitKey);
      if (!wait.isZero()) {
        sleeper.sleep(wait);
      }
      try {
        HttpRequest req =
            HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Sixfinger")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        HttpResponse<String> resp =
            http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        status = resp.statusCode();
        body = resp.body();
        if (status < 500 && status != 429) {
          return new Response(status, body, attempt);
        }
        if (status == 429) {
          retryAfter(resp.headers().firstValue("Retry-After"))
              .ifPresent(d -> limiter.block(limitKey, d));
        }
      } catch (IOException e) {
        status = 0;
        body = "I/O error: " + e;
      }
      if (attempt >= retry.maxAttempts()) {
        return new Response(status, body, attempt);
      }
      // A Retry-After is enforced by the limiter before the next attempt.
      sleeper.sleep(retry.backoff(attempt));
    }
  }

  private static Optional<Duration> retryAfter(Optional<String> header) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    try {
      long s = Long.parseLong(header.get().trim());
      return Optional.of(Duration.ofSeconds(Math.min(Math.max(s, 0), 300)));
    } catch (NumberFormatException e) {
      return Optional.empty(); // an HTTP date: fall back to our own backoff
    }
  }
}
