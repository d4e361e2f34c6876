package dev.bigsegments.ingest.imports;

import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.IngestMetrics;
import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.ingest.errors.Conflict;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ImportBegin;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts CSV imports: one running import per environment, an {@code Idempotency-Key} names the same
 * import again, and the uploaded file is streamed to Kafka in chunks on a worker thread.
 */
@ApplicationScoped
public class ImportService {
    private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    PipelineClient pipeline;

    @Inject
    IngestConfig config;

    @Inject
    IngestMetrics metrics;

    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "csv-import");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ImportUpload> running = new ConcurrentHashMap<>();

    public String start(SegmentId segment, ImportMode mode, Path uploaded, String fileName, String idempotencyKey) {
        String importId = idempotencyKey == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes((segment + "\0" + idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
        if (idempotencyKey != null && (running.containsKey(importId) || pipeline.importStatus(importId).isPresent())) {
            return importId;
        }
        rejectIfEnvironmentBusy(segment.environmentId());
        Path file = keep(uploaded, importId);
        ImportUpload upload = new ImportUpload(importId, segment, mode, file, config.csv(), pipeline.publisher(),
                metrics);
        if (running.putIfAbsent(importId, upload) != null) {
            return importId;
        }
        pipeline.publisher().sendAndWait(dev.bigsegments.ingest.publish.CommandPublisher.command(segment,
                importId + ":begin", new ImportBegin(importId, mode, fileName)));
        workers.submit(upload);
        LOG.info("import {} into {} started ({})", importId, segment, mode);
        return importId;
    }

    public Optional<ImportView> status(SegmentId segment, String importId) throws InterruptedException {
        pipeline.syncImports(SYNC_TIMEOUT);
        forgetReported();
        ImportUpload local = running.get(importId);
        Optional<ImportStatus> known = pipeline.importStatus(importId)
                .filter(s -> s.getEnvironmentId().equals(segment.environmentId())
                        && s.getSegmentKey().equals(segment.segmentKey()));
        if (known.isPresent()) {
            return Optional.of(ImportView.of(known.get(), local == null ? null : local.progress()));
        }
        if (local != null && local.segment().equals(segment)) {
            return Optional.of(ImportView.of(local.preparingStatus(), local.progress()));
        }
        return Optional.empty();
    }

    /**
     * Uploads are remembered until the pipeline reports them, so an import is never missing from
     * status or from the busy check in the moment between the end of the upload and the processor
     * picking it up.
     */
    private void forgetReported() {
        running.values().removeIf(u -> !u.isReading() && pipeline.importStatus(u.importId()).isPresent());
    }

    private void rejectIfEnvironmentBusy(String environmentId) {
        forgetReported();
        for (ImportUpload upload : running.values()) {
            if (upload.segment().environmentId().equals(environmentId)) {
                throw busy(upload.importId());
            }
        }
        for (ImportStatus status : pipeline.imports()) {
            boolean active = status.getStatus() == ImportState.PREPARING
                    || status.getStatus() == ImportState.IN_PROGRESS;
            if (active && status.getEnvironmentId().equals(environmentId)) {
                throw busy(status.getImportId());
            }
        }
    }

    private static Conflict busy(String importId) {
        return new Conflict("another import is running for this environment: " + importId);
    }

    /** Moves the upload out of the request's temporary area: the request ends before the file is read. */
    private Path keep(Path uploaded, String importId) {
        try {
            Path dir = Files.createDirectories(Path.of(config.importDirectory()));
            return Files.move(uploaded, dir.resolve(importId + ".csv"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the uploaded file", e);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        workers.shutdownNow();
    }
}
