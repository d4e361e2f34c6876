package dev.bigsegments.ingest.csv;

/**
 * Receives what {@link CsvKeyReader} finds, record by record, on the reading thread. The limits and
 * the counting are the reader's; a visitor only acts on the records.
 */
@FunctionalInterface
public interface KeyVisitor {

    /**
     * An accepted key: valid UTF-8, 1 to maxKeyBytes bytes, exactly as in the file. The array is
     * reused for the next record, so copy or hash what you need before returning.
     */
    void key(byte[] utf8, int offset, int length, long line);

    /** A rejected row; it is already counted and, among the first ones, kept in the stats. */
    default void rejected(long line, String reason) {
    }

    default void blank(long line) {
    }

    /** Called every {@link CsvKeyReader#PROGRESS_INTERVAL_ROWS} rows with the counts so far. */
    default void progress(CsvImportStats soFar) {
    }
}
