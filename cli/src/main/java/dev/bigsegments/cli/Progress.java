package dev.bigsegments.cli;

import java.io.PrintWriter;

/**
 * A textual progress bar on stderr. On a terminal it is one line redrawn in place at most
 * {@link #REFRESH_MS} apart; elsewhere (a Job's log) it prints a plain line every {@link #LOG_REFRESH_MS},
 * so long work shows its pace without flooding either.
 */
public final class Progress {
    /** Minimum time between two redraws. */
    public static final long REFRESH_MS = 250;
    /** Minimum time between two lines when output is not a terminal. */
    public static final long LOG_REFRESH_MS = 5_000;
    private static final int WIDTH = 30;
    private static final String LINE = "%s [%s%s] %3d%% %,d/%,d (%,.0f/s)";

    private final PrintWriter out;
    private final String label;
    private final long startNanos = System.nanoTime();
    private long total;
    private final boolean terminal = System.console() != null;
    private long lastDraw;

    public Progress(PrintWriter out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /** The total can grow while work runs (live records keep arriving). */
    public void update(long done, long newTotal) {
        total = newTotal;
        update(done);
    }

    public void update(long done) {
        long now = System.currentTimeMillis();
        if (now - lastDraw < (terminal ? REFRESH_MS : LOG_REFRESH_MS)) {
            return;
        }
        lastDraw = now;
        draw(done);
    }

    /** Draws the final state and ends the line. */
    public void finish(long done) {
        draw(done);
        if (terminal) {
            out.println();
        }
        out.flush();
    }

    private void draw(long done) {
        double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(0.001, (System.nanoTime() - startNanos) / 1e9);
        String line = String.format(LINE, label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                Math.round(fraction * 100), done, total, done / seconds);
        if (terminal) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }
}
