package dev.bigsegments.ingest.csv;

import java.util.List;

/**
 * What reading one CSV file counted. Every record is exactly one of blank, accepted or rejected, so
 * {@code rowsRead == blankLines + keysAccepted + rejectedRows}.
 *
 * @param bytesRead     bytes read from the input so far, for progress against the file size
 * @param rowsRead      records read, blank lines included
 * @param keysAccepted  accepted keys, duplicates included (duplicates are found downstream)
 * @param rejections    the first {@link #KEPT_REJECTIONS} rejections, in file order
 */
public record CsvImportStats(long bytesRead, long rowsRead, long blankLines, long keysAccepted,
                             long rejectedRows, List<Rejection> rejections) {
    /** Enough to show what is wrong with a file while keeping the status record small. */
    public static final int KEPT_REJECTIONS = 100;

    public CsvImportStats {
        rejections = List.copyOf(rejections);
    }

    /** A rejected row: the 1-based line where its record starts, and why. */
    public record Rejection(long line, String reason) {
    }
}
