package dev.bigsegments.cli;

/** Process exit codes, the same for every command, so Jobs and scripts can branch on them. */
public final class ExitCodes {
    /** Done; for verify: the store matches the topic. */
    public static final int OK = 0;
    /** Verify found differences between the store and the topic. */
    public static final int DIFFERENCES = 1;
    /** The command line was wrong (picocli's own code for usage errors). */
    public static final int USAGE = 2;
    /** The command failed or refused to run (a running consumer group, a non-empty target, an unreachable broker). */
    public static final int FAILED = 3;

    private ExitCodes() {
    }
}
