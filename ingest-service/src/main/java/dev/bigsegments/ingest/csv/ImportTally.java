package dev.bigsegments.ingest.csv;

import java.util.ArrayList;
import java.util.List;

/** The counters of one read, and the limits checked against them as they grow. */
final class ImportTally {
    private final CsvImportLimits limits;
    private final List<CsvImportStats.Rejection> kept = new ArrayList<>();
    private long bytesRead;
    private long rowsRead;
    private long blankLines;
    private long keysAccepted;
    private long rejectedRows;

    ImportTally(CsvImportLimits limits) {
        this.limits = limits;
    }

    void bytesRead(int count) {
        bytesRead += count;
        if (bytesRead > limits.maxFileBytes()) {
            throw exceeded("bytes", CsvImportLimits.MAX_FILE_BYTES_PROPERTY, limits.maxFileBytes());
        }
    }

    void blank() {
        rowsRead++;
        blankLines++;
    }

    void accepted() {
        rowsRead++;
        keysAccepted++;
        if (keysAccepted > limits.maxKeys()) {
            throw exceeded("keys", CsvImportLimits.MAX_KEYS_PROPERTY, limits.maxKeys());
        }
    }

    void rejected(long line, String reason) {
        rowsRead++;
        rejectedRows++;
        if (kept.size() < CsvImportStats.KEPT_REJECTIONS) {
            kept.add(new CsvImportStats.Rejection(line, reason));
        }
        if (rejectedRows > limits.maxRejectedRows()) {
            throw exceeded("rejected rows", CsvImportLimits.MAX_REJECTED_ROWS_PROPERTY,
                    limits.maxRejectedRows());
        }
    }

    /** True once every {@link CsvKeyReader#PROGRESS_INTERVAL_ROWS} rows. */
    boolean progressDue() {
        return rowsRead % CsvKeyReader.PROGRESS_INTERVAL_ROWS == 0;
    }

    CsvImportStats snapshot() {
        return new CsvImportStats(bytesRead, rowsRead, blankLines, keysAccepted, rejectedRows, kept);
    }

    private CsvImportLimitExceeded exceeded(String what, String property, long limit) {
        return new CsvImportLimitExceeded(what, property, limit, snapshot());
    }
}
