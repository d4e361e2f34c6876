package dev.bigsegments.ingest.imports;

import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.IngestStats;
import dev.bigsegments.schemas.avro.Rejection;
import java.util.List;
import java.util.Locale;

/**
 * An import's status as the API shows it: {@code preparing} while the file is read and staged,
 * {@code in_progress} while applied, then {@code complete} or {@code stopped}; with counts and progress.
 * Rows are counted apart from keys: {@code rowsRead} = {@code keysAccepted} + {@code duplicates} +
 * {@code rejectedRows} + {@code blankLines} once the import is applied. {@code keysAccepted} counts distinct keys:
 * a key met again is found when the import is applied and moves from {@code keysAccepted} to {@code duplicates}.
 */
public record ImportView(String id, String segmentKey, long creationTime, String mode, String status,
        String fileName, long rowsRead, long blankLines, long keysAccepted, long duplicates, long rejectedRows,
        List<RejectedRow> rejections, long added, long removed, double progress, String error) {

    public record RejectedRow(long line, String reason) {
    }

    /** Combines the pipeline's status with what this instance counted so far while reading the file. */
    public static ImportView of(ImportStatus s, IngestStats reading) {
        IngestStats stats = s.getIngest() != null ? s.getIngest() : reading;
        long rows = stats == null ? 0 : stats.getRowsRead();
        List<RejectedRow> rejected = stats == null ? List.of()
                : stats.getRejections().stream().map(ImportView::row).toList();
        return new ImportView(s.getImportId(), s.getSegmentKey(), s.getCreationTime().toEpochMilli(),
                s.getMode().name().toLowerCase(Locale.ROOT), s.getStatus().name().toLowerCase(Locale.ROOT),
                s.getFileName(), rows, stats == null ? 0 : stats.getBlankLines(),
                s.getKeysStaged(), s.getDuplicates(),
                stats == null ? 0 : stats.getRejectedRows(), rejected, s.getAdded(), s.getRemoved(), progress(s),
                s.getError());
    }

    private static double progress(ImportStatus s) {
        return switch (s.getStatus()) {
            case PREPARING -> 0;
            case COMPLETE -> 1;
            case STOPPED -> s.getToProcess() == 0 ? 0 : (double) s.getProcessed() / s.getToProcess();
            case IN_PROGRESS -> s.getToProcess() == 0 ? 0
                    : Math.min(0.999, (double) s.getProcessed() / s.getToProcess());
        };
    }

    private static RejectedRow row(Rejection r) {
        return new RejectedRow(r.getLine(), r.getReason());
    }
}
