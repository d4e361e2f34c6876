package dev.bigsegments.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A CSV import as a client runs it: the list written to disk, uploaded, then waited for in the store. */
final class Imports {
    private static final long PROGRESS_INTERVAL_NANOS = 30_000_000_000L;

    private Imports() {
    }

    /** Keys user-{offset}..user-{offset+n-1}, one per line, written straight to the file. */
    static Path csv(Path file, int n, int offset) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = offset; i < offset + n; i++) {
                w.write("user-");
                w.write(Integer.toString(i));
                w.write('\n');
            }
        }
        return file;
    }

    /**
     * Seconds from the upload's start until the import is complete and {@code synchronizedOn} under the
     * prefix is stamped after that: every membership is in Redis and the store says so.
     */
    static double timeReplace(ApiClient api, RedisProbe probe, String prefix, String segment, Path csv,
            Runnable healthCheck) throws Exception {
        return timed(api, probe, prefix, segment, csv, healthCheck).seconds();
    }

    /**
     * @param seconds from the upload's start until every membership is in Redis, stamped
     * @param stagedSeconds until the import was first seen committed (polled every 100 ms): the ingest service had
     *     read, hashed and published the file, and the processor staged every chunk
     */
    record Timing(double seconds, double stagedSeconds) {
    }

    static Timing timed(ApiClient api, RedisProbe probe, String prefix, String segment, Path csv,
            Runnable healthCheck) throws Exception {
        long start = System.nanoTime();
        String location = api.startImport(segment, csv, "replace");
        double staged = 0;
        String status;
        long report = start;
        while (!(status = api.status(location)).equals("complete")) {
            if (staged == 0 && !status.equals("preparing")) {
                staged = (System.nanoTime() - start) / 1e9;
            }
            if (status.equals("stopped")) {
                throw new IllegalStateException("import stopped: " + location);
            }
            healthCheck.run();
            if (System.nanoTime() - report > PROGRESS_INTERVAL_NANOS) {
                report = System.nanoTime();
                System.err.printf("  import %s after %.0f s%n", status, (report - start) / 1e9);
            }
            Thread.sleep(100);
        }
        long completed = System.currentTimeMillis();
        while (probe.synchronizedOn(prefix) <= completed) {
            healthCheck.run();
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Timing(seconds, staged == 0 ? seconds : staged);
    }
}
