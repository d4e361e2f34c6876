package dev.bigsegments.ingest.csv;

/**
 * Bounds on one CSV import. Going past any of them stops the import with
 * {@link CsvImportLimitExceeded}; the defaults match the service's configuration defaults.
 *
 * @param maxKeyBytes     longest accepted key, in UTF-8 bytes; longer keys are rejected rows
 * @param maxKeys         most accepted rows (duplicates included) per file
 * @param maxRejectedRows most rejected rows before the whole import stops; 0 stops at the first
 * @param maxFileBytes    most bytes read from the file, byte-order mark and line breaks included
 */
public record CsvImportLimits(int maxKeyBytes, long maxKeys, long maxRejectedRows, long maxFileBytes) {
    /** LaunchDarkly context keys in practice are ids, emails or UUIDs, far below this. */
    public static final int DEFAULT_MAX_KEY_BYTES = 256;
    /** Ten times LaunchDarkly's own per-file limit of 1,000,000. */
    public static final long DEFAULT_MAX_KEYS = 10_000_000L;
    public static final long DEFAULT_MAX_REJECTED_ROWS = 1_000L;
    /** 2 GiB: 10,000,000 keys of up to ~200 bytes each. */
    public static final long DEFAULT_MAX_FILE_BYTES = 2L * 1024 * 1024 * 1024;

    public static final CsvImportLimits DEFAULTS = new CsvImportLimits(DEFAULT_MAX_KEY_BYTES,
            DEFAULT_MAX_KEYS, DEFAULT_MAX_REJECTED_ROWS, DEFAULT_MAX_FILE_BYTES);

    /** The settings that hold these limits, named in the error an operator sees. */
    static final String MAX_KEYS_PROPERTY = "bigsegments.ingest.csv.max-keys";
    static final String MAX_REJECTED_ROWS_PROPERTY = "bigsegments.ingest.csv.max-rejected-rows";
    static final String MAX_FILE_BYTES_PROPERTY = "bigsegments.ingest.csv.max-file-bytes";

    public CsvImportLimits {
        requireAtLeast("maxKeyBytes", maxKeyBytes, 1);
        requireAtLeast("maxKeys", maxKeys, 1);
        requireAtLeast("maxRejectedRows", maxRejectedRows, 0);
        requireAtLeast("maxFileBytes", maxFileBytes, 1);
    }

    public CsvImportLimits withMaxKeyBytes(int value) {
        return new CsvImportLimits(value, maxKeys, maxRejectedRows, maxFileBytes);
    }

    public CsvImportLimits withMaxKeys(long value) {
        return new CsvImportLimits(maxKeyBytes, value, maxRejectedRows, maxFileBytes);
    }

    public CsvImportLimits withMaxRejectedRows(long value) {
        return new CsvImportLimits(maxKeyBytes, maxKeys, value, maxFileBytes);
    }

    public CsvImportLimits withMaxFileBytes(long value) {
        return new CsvImportLimits(maxKeyBytes, maxKeys, maxRejectedRows, value);
    }

    private static void requireAtLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
    }
}
