package dev.bigsegments.ingest.imports;

import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.IngestMetrics;
import dev.bigsegments.ingest.csv.CsvChunker;
import dev.bigsegments.ingest.csv.CsvImportLimitExceeded;
import dev.bigsegments.ingest.csv.CsvImportLimits;
import dev.bigsegments.ingest.csv.CsvImportStats;
import dev.bigsegments.ingest.publish.CommandPublisher;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.ImportAbort;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.ImportCommit;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.IngestStats;
import dev.bigsegments.schemas.avro.Rejection;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one uploaded file to Kafka: its keys hashed in chunks, then a commit carrying the reader's
 * counts, or an abort (limit exceeded, unreadable file, a chunk Kafka did not take) so that the segment
 * stays as it was. Chunks are sent without waiting and their deliveries tracked ({@link ChunkDeliveries}):
 * the commit is sent only when every chunk reached Kafka. The file is read once from disk; memory does not
 * grow with it.
 */
final class ImportUpload implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ImportUpload.class);

    private final String importId;
    private final SegmentId segment;
    private final ImportMode mode;
    private final Path file;
    private final IngestConfig.Csv csv;
    private final CommandPublisher publisher;
    private final IngestMetrics metrics;
    private final Instant created = Instant.now();
    private final ChunkDeliveries deliveries = new ChunkDeliveries();
    private volatile CsvImportStats progress;
    private volatile boolean reading = true;

    ImportUpload(String importId, SegmentId segment, ImportMode mode, Path file, IngestConfig.Csv csv,
            CommandPublisher publisher, IngestMetrics metrics) {
        this.metrics = metrics;
        this.importId = importId;
        this.segment = segment;
        this.mode = mode;
        this.file = file;
        this.csv = csv;
        this.publisher = publisher;
    }

    @Override
    public void run() {
        CsvChunker chunker = new CsvChunker(new CsvImportLimits(csv.maxKeyBytes(), csv.maxKeys(),
                csv.maxRejectedRows(), csv.maxFileBytes()), csv.chunkSize());
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CsvImportStats stats = chunker.run(in, this::publishChunk, p -> progress = p);
            progress = stats;
            metrics.csvRows(stats.keysAccepted(), stats.rejectedRows(), stats.blankLines());
            publisher.flush();
            long chunkCount = chunker.chunkCount(stats);
            String undelivered = deliveries.failure(chunkCount);
            if (undelivered != null) {
                LOG.error("import {}: {}", importId, undelivered, deliveries.firstError());
                abort(undelivered, stats);
                return;
            }
            publisher.sendAndWait(CommandPublisher.command(segment, importId + ":commit",
                    new ImportCommit(importId, chunkCount, toAvro(stats))));
            LOG.info("import {} read: {} rows, {} keys, {} rejected", importId, stats.rowsRead(),
                    stats.keysAccepted(), stats.rejectedRows());
        } catch (CsvImportLimitExceeded e) {
            progress = e.stats();
            abort(e.getMessage(), e.stats());
        } catch (IOException | RuntimeException e) {
            LOG.error("import {} failed while reading its file", importId, e);
            abort("the file could not be read: " + e.getMessage(), progress);
        } finally {
            deleteFile();
            reading = false;
        }
    }

    private void publishChunk(long sequence, List<byte[]> digests) {
        List<ContextHash> hashes = new ArrayList<>(digests.size());
        for (byte[] d : digests) {
            hashes.add(new ContextHash(d));
        }
        try {
            publisher.send(CommandPublisher.command(segment, importId + ":" + sequence,
                    new ImportChunk(importId, sequence, hashes, List.of())),
                    error -> deliveries.failed(sequence, error));
        } catch (RuntimeException e) {
            // Already noted by the failure callback; the commit is refused once the whole file is read.
            LOG.debug("import {}: chunk {} was not sent", importId, sequence, e);
        }
    }

    private void abort(String reason, CsvImportStats stats) {
        publisher.flush();
        publisher.sendAndWait(CommandPublisher.command(segment, importId + ":abort",
                new ImportAbort(importId, reason, stats == null ? null : toAvro(stats))));
        LOG.warn("import {} stopped: {}", importId, reason);
    }

    private void deleteFile() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}", file, e);
        }
    }

    static IngestStats toAvro(CsvImportStats stats) {
        List<Rejection> rejections = new ArrayList<>();
        stats.rejections().forEach(r -> rejections.add(new Rejection(r.line(), r.reason())));
        return new IngestStats(stats.rowsRead(), stats.blankLines(), stats.rejectedRows(), rejections);
    }

    boolean isReading() {
        return reading;
    }

    String importId() {
        return importId;
    }

    SegmentId segment() {
        return segment;
    }

    /** Counts so far while the file is read; null before the first progress report. */
    IngestStats progress() {
        CsvImportStats p = progress;
        return p == null ? null : toAvro(p);
    }

    /** The status to show before the pipeline has seen the import begin. */
    ImportStatus preparingStatus() {
        return ImportStatus.newBuilder().setImportId(importId).setEnvironmentId(segment.environmentId())
                .setSegmentKey(segment.segmentKey()).setMode(mode).setStatus(ImportState.PREPARING)
                .setCreationTime(created).setUpdatedAt(Instant.now()).setFileName(file.getFileName().toString())
                .setChunksStaged(0).setKeysStaged(0).setDuplicates(0).setToProcess(0).setProcessed(0).setAdded(0)
                .setRemoved(0).build();
    }
}
