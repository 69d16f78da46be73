package dev.milvusbeam.io.importing;

import java.io.Serializable;
import java.time.Duration;

/**
 * How often and how long the client asks, and how it retries:
 *
 * <ul>
 *   <li>polling: the first poll after {@code pollInterval} (1 s), each next wait 1.5 times longer,
 *       at most {@code maxPollInterval} (30 s); give up after {@code waitTimeout} (none: Milvus
 *       has its own job {@code timeout} option);
 *   <li>retries: a request answered with HTTP 5xx, 408 or 429, or whose connection failed, is
 *       sent again up to {@code maxRetries} times (5), waiting {@code retryBackoff} (1 s), doubled
 *       each time, at most 30 s. A JSON answer with a non-zero {@code code} is never retried;
 *   <li>{@code requestTimeout} (60 s) for one HTTP request.
 * </ul>
 *
 * Tests use milliseconds.
 */
public final class ImportTiming implements Serializable {
  private static final long serialVersionUID = 1L;
  static final double POLL_GROWTH = 1.5;
  static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(30);

  private final Duration pollInterval;
  private final Duration maxPollInterval;
  private final Duration waitTimeout;
  private final int maxRetries;
  private final Duration retryBackoff;
  private final Duration requestTimeout;

  private ImportTiming(Duration pollInterval, Duration maxPollInterval, Duration waitTimeout,
      int maxRetries, Duration retryBackoff, Duration requestTimeout) {
    this.pollInterval = pollInterval;
    this.maxPollInterval = maxPollInterval;
    this.waitTimeout = waitTimeout;
    this.maxRetries = maxRetries;
    this.retryBackoff = retryBackoff;
    this.requestTimeout = requestTimeout;
  }

  public static ImportTiming defaults() {
    return new ImportTiming(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO, 5,
        Duration.ofSeconds(1), Duration.ofSeconds(60));
  }

  /** The first wait between polls and the longest (the wait grows 1.5x per poll in between). */
  public ImportTiming withPollInterval(Duration first, Duration max) {
    positive(first, "poll interval");
    positive(max, "max poll interval");
    if (max.compareTo(first) < 0) {
      throw new IllegalArgumentException("max poll interval " + max + " < poll interval " + first);
    }
    return new ImportTiming(first, max, waitTimeout, maxRetries, retryBackoff, requestTimeout);
  }

  /** Stop waiting for a job after this long (zero: wait until it completes or fails). */
  public ImportTiming withWaitTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("wait timeout must be >= 0, got " + timeout);
    }
    return new ImportTiming(pollInterval, maxPollInterval, timeout, maxRetries, retryBackoff,
        requestTimeout);
  }

  /** How many times a failed request (5xx, 408, 429, connection) is sent again, first wait. */
  public ImportTiming withRetries(int maxRetries, Duration backoff) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("max retries must be >= 0, got " + maxRetries);
    }
    positive(backoff, "retry backoff");
    return new ImportTiming(pollInterval, maxPollInterval, waitTimeout, maxRetries, backoff,
        requestTimeout);
  }

  public ImportTiming withRequestTimeout(Duration timeout) {
    positive(timeout, "request timeout");
    return new ImportTiming(pollInterval, maxPollInterval, waitTimeout, maxRetries, retryBackoff,
        timeout);
  }

  public Duration pollInterval() { return pollInterval; }
  public Duration maxPollInterval() { return maxPollInterval; }
  public Duration waitTimeout() { return waitTimeout; }
  public int maxRetries() { return maxRetries; }
  public Duration retryBackoff() { return retryBackoff; }
  public Duration requestTimeout() { return requestTimeout; }

  /** The wait before the next poll, after {@code previous}. */
  Duration nextPoll(Duration previous) {
    if (previous == null) {
      return pollInterval;
    }
    long next = (long) (previous.toMillis() * POLL_GROWTH);
    return Duration.ofMillis(Math.min(Math.max(next, 1), maxPollInterval.toMillis()));
  }

  /** The wait before retry number {@code attempt} (1-based). */
  Duration retryWait(int attempt) {
    long ms = retryBackoff.toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(ms, Math.max(MAX_RETRY_BACKOFF.toMillis(),
        retryBackoff.toMillis())));
  }

  private static void positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }

  @Override
  public String toString() {
    return "poll " + pollInterval + ".." + maxPollInterval + ", wait timeout "
        + (waitTimeout.isZero() ? "none" : waitTimeout.toString()) + ", " + maxRetries
        + " retries from " + retryBackoff + ", request timeout " + requestTimeout;
  }
}
