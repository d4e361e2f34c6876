package dev.bigsegments.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Checks, in a loop, every not yet visible member of every request sent (pipelined SISMEMBER on the
 * include keys) and stamps a request visible on the pass that finds its last member.
 */
final class VisibilityMonitor implements AutoCloseable {
    /** Pause between passes, so the loop does not take a core from the services it measures. */
    private static final long PAUSE_MS = 5;

    private final RedisProbe probe;
    private final String prefix;
    private final String ref;
    private final Queue<Request> pending = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private VisibilityMonitor(RedisProbe probe, String prefix, String ref) {
        this.probe = probe;
        this.prefix = prefix;
        this.ref = ref;
        this.thread = new Thread(this::loop, "visibility-monitor");
    }

    static VisibilityMonitor start(RedisProbe probe, String prefix, String ref) {
        VisibilityMonitor monitor = new VisibilityMonitor(probe, prefix, ref);
        monitor.thread.setDaemon(true);
        monitor.thread.start();
        return monitor;
    }

    /** Watches a request's members from now on; {@code slot} is when the schedule meant to send it. */
    Request watch(List<String> hashes, long slot) {
        Request request = new Request(new ArrayList<>(hashes), slot, System.nanoTime());
        pending.add(request);
        return request;
    }

    void awaitAllVisible(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            if (failure != null) {
                throw failure;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(pending.size() + " requests not fully visible in Redis after "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    private void loop() {
        try {
            while (running) {
                pass();
                Thread.sleep(PAUSE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void pass() {
        // A request the service refused will never show: the report counts it as failed.
        pending.removeIf(r -> r.answered >= 0 && r.status != 204);
        List<Request> pass = new ArrayList<>(pending);
        // The writer applies a request's members together: while its first unseen member is missing,
        // checking the other 999 would only load Redis and the machine.
        List<Boolean> first = probe.included(prefix, pass.stream().map(r -> r.unseen.get(0)).toList(), ref);
        List<Request> started = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < pass.size(); i++) {
            if (first.get(i)) {
                started.add(pass.get(i));
                hashes.addAll(pass.get(i).unseen);
            }
        }
        List<Boolean> seen = hashes.isEmpty() ? List.of() : probe.included(prefix, hashes, ref);
        long now = System.nanoTime();
        int i = 0;
        for (Request r : started) {
            List<String> still = new ArrayList<>();
            for (String hash : r.unseen) {
                if (!seen.get(i++)) {
                    still.add(hash);
                }
            }
            r.unseen = still;
            if (still.isEmpty()) {
                r.visible = now;
                pending.remove(r);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }

    /** One request's timeline, in System.nanoTime(). */
    static final class Request {
        private List<String> unseen;
        final long slot;
        final long sent;
        volatile long answered = -1;
        volatile int status;
        volatile long visible = -1;

        private Request(List<String> unseen, long slot, long sent) {
            this.unseen = unseen;
            this.slot = slot;
            this.sent = sent;
        }

        void answered(int statusCode, long at) {
            status = statusCode;
            answered = at;
        }
    }
}
