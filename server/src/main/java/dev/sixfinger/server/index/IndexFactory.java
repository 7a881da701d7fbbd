package dev.sixfinger.server.index;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sixfinger.rules.index.Index;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code index:} section: the index of latest events that queries and subscriptions read. */
public class IndexFactory {

  /** TTL of events that carry none (the gateway gives every event one, from ingest.defaultTtl). */
  @JsonProperty @NotNull private Duration defaultTtl = Duration.seconds(60);

  /**
   * How much of sixfinger.events a starting server reads back to rebuild the index; by default
   * twice the default ttl. It must exceed the longest ttl in use, or entries with a longer ttl are
   * missing after a restart until their host sends again.
   */
  @JsonProperty private Duration replayWindow;

  /** How often expired entries are removed. */
  @JsonProperty @NotNull private Duration expireInterval = Duration.seconds(1);

  /** Changes a live subscriber may have waiting; beyond that it is disconnected. */
  @JsonProperty
  @Min(1)
  private int subscriberQueue = Index.DEFAULT_SUBSCRIBER_QUEUE;

  /**
   * How often an idle server-sent event stream gets a comment: keeps proxies from closing it, and
   * finds clients that went away.
   */
  @JsonProperty @NotNull private Duration streamHeartbeat = Duration.seconds(10);

  /** Threads that answer queries, so that a long scan never runs on a network thread. */
  @JsonProperty
  @Min(1)
  private int queryThreads = 2;

  public java.time.Duration defaultTtl() {
    return java.time.Duration.ofMillis(defaultTtl.toMilliseconds());
  }

  public java.time.Duration replayWindow() {
    return replayWindow == null
        ? defaultTtl().multipliedBy(2)
        : java.time.Duration.ofMillis(replayWindow.toMilliseconds());
  }

  public java.time.Duration expireInterval() {
    return java.time.Duration.ofMillis(Math.max(1, expireInterval.toMilliseconds()));
  }

  public java.time.Duration streamHeartbeat() {
    return java.time.Duration.ofMillis(Math.max(1, streamHeartbeat.toMilliseconds()));
  }

  public int subscriberQueue() {
    return subscriberQueue;
  }

  public int queryThreads() {
    return queryThreads;
  }

  public void setDefaultTtl(Duration defaultTtl) {
    this.defaultTtl = defaultTtl;
  }

  public void setReplayWindow(Duration replayWindow) {
    this.replayWindow = replayWindow;
  }
}
