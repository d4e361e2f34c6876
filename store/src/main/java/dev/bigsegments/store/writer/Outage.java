package dev.bigsegments.store.writer;

import java.time.Duration;
import java.time.Instant;

/**
 * Something the writer waits out: a store, registry or Kafka that does not answer. It lasts until the
 * operation that failed succeeds; meanwhile the writer retries with backoff and reports itself not ready.
 *
 * @param attempts failed attempts so far (the backoff grows with them)
 * @param lastError the last failure, naming context hashes at most
 */
public record Outage(Cause cause, Instant since, int attempts, String lastError) {

    /** What is out; also the {@code cause} tag of the outage metrics. */
    public enum Cause {
        STORE("store"), REGISTRY("registry"), KAFKA("kafka");

        private final String tag;

        Cause(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    static Outage begin(Cause cause, Throwable error) {
        return new Outage(cause, Instant.now(), 1, String.valueOf(error.getMessage()));
    }

    Outage again(Throwable error) {
        return new Outage(cause, since, attempts + 1, String.valueOf(error.getMessage()));
    }

    public Duration duration() {
        return Duration.between(since, Instant.now());
    }

    /** For health checks and logs: what, since when, how often tried, the last error. */
    public String describe() {
        return cause.tag() + " unreachable for " + duration().toSeconds() + " s (since " + since + ", " + attempts
                + " attempt(s)): " + lastError;
    }
}
