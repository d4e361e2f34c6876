package dev.bigsegments.ingest;

import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.MembershipChange;
import dev.bigsegments.schemas.avro.SegmentCommand;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What the ingest service counts beyond the HTTP server's own request metrics (which already give
 * requests by route and status): keys published by kind of change, and CSV rows by outcome.
 */
@ApplicationScoped
public class IngestMetrics {
    private static final String KEYS = "bigsegments.ingest.keys";
    private static final String ROWS = "bigsegments.ingest.csv.rows";

    private final MeterRegistry registry;

    @Inject
    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts the context keys a command carries, once it was accepted by Kafka. */
    public void published(SegmentCommand command) {
        Object payload = command.getPayload();
        if (payload instanceof MembershipChange change) {
            counter(KEYS, "kind", "membership-change").increment(change.getChanges().size());
        } else if (payload instanceof ImportChunk chunk) {
            counter(KEYS, "kind", "import").increment(chunk.getHashes().size() + chunk.getRawKeys().size());
        }
    }

    public void csvRows(long accepted, long rejected, long blank) {
        counter(ROWS, "outcome", "accepted").increment(accepted);
        counter(ROWS, "outcome", "rejected").increment(rejected);
        counter(ROWS, "outcome", "blank").increment(blank);
    }

    private Counter counter(String name, String tag, String value) {
        return registry.counter(name, tag, value);
    }
}
