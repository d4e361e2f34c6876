package dev.bigsegments.embedded;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for the state of servers these launchers start: the one loop they share. */
final class Waits {
    private static final Duration POLL = Duration.ofMillis(100);

    private Waits() {
    }

    /**
     * Asks {@code condition} every 100 ms until it holds; a condition that throws counts as not yet (a server still
     * starting). Fails naming {@code what} after {@code timeout}, with the last failure as the cause.
     */
    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + timeout.toSeconds() + " s: " + what, last);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting: " + what, e);
            }
        }
    }
}
