package dev.bigsegments.standalone;

import dev.bigsegments.processor.service.ProcessorService;
import dev.bigsegments.schemas.query.PipelineQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The ingest service asks the stream processor of this process directly (the separate services ask its query
 * endpoint over HTTP instead): this bean replaces the ingest service's default.
 */
@ApplicationScoped
public class InProcessQueries implements PipelineQueries {
    @Inject
    ProcessorService processor;

    @Override
    public List<Membership> members(String environmentId, String segmentKey, int generation, List<String> hashes) {
        return queries().members(environmentId, segmentKey, generation, hashes);
    }

    @Override
    public List<SegmentCounts> counts(String environmentId, List<SegmentAt> segments) {
        return queries().counts(environmentId, segments);
    }

    private PipelineQueries queries() {
        return processor.queries()
                .orElseThrow(() -> new QueryUnavailable("the stream processor has not started", null));
    }
}
