package dev.bigsegments.ingest.csv;

/**
 * A {@link CsvImportLimits} bound was passed: the import must stop and change nothing. Unchecked so
 * that it can leave through visitor and sink callbacks untouched.
 */
public final class CsvImportLimitExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String limit;
    private final long value;
    private final transient CsvImportStats stats;

    CsvImportLimitExceeded(String what, String limit, long value, CsvImportStats stats) {
        super("more than " + value + " " + what + " (limit " + limit + ")");
        this.limit = limit;
        this.value = value;
        this.stats = stats;
    }

    /** The configuration property holding the limit, e.g. bigsegments.ingest.csv.max-keys. */
    public String limit() {
        return limit;
    }

    public long value() {
        return value;
    }

    /** Counts up to and including the row (or read) that went past the limit. */
    public CsvImportStats stats() {
        return stats;
    }
}
