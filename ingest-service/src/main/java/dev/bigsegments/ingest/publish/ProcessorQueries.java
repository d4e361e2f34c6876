package dev.bigsegments.ingest.publish;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.schemas.query.PipelineQueries;
import dev.bigsegments.schemas.query.QueryRequests.CountsRequest;
import dev.bigsegments.schemas.query.QueryRequests.MembersRequest;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Asks the stream processor's query endpoint ({@code bigsegments.ingest.processor-url}) what its state holds.
 * The default {@link PipelineQueries}; where the processor runs in the same process (the standalone run), that
 * application provides one that asks it directly.
 */
public final class ProcessorQueries implements PipelineQueries {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String baseUrl;
    private final ObjectMapper json;

    ProcessorQueries(String baseUrl, ObjectMapper json) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.json = json;
    }

    @Override
    public List<Membership> members(String environmentId, String segmentKey, int generation, List<String> hashes) {
        return post("members", new MembersRequest(environmentId, segmentKey, generation, hashes),
                new TypeReference<List<Membership>>() { });
    }

    @Override
    public List<SegmentCounts> counts(String environmentId, List<SegmentAt> segments) {
        return post("counts", new CountsRequest(environmentId, segments), new TypeReference<List<SegmentCounts>>() { });
    }

    private <T> T post(String path, Object body, TypeReference<T> type) {
        String url = baseUrl + "/processor/v1/" + path;
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new QueryUnavailable("the stream processor at " + url + " answered " + response.statusCode()
                        + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8), null);
            }
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new QueryUnavailable("the stream processor at " + url + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryUnavailable("interrupted while asking the stream processor", e);
        }
    }

    /** Chooses the queries of a deployment whose processor runs apart. */
    @ApplicationScoped
    public static final class Producer {
        @Produces
        @DefaultBean
        @ApplicationScoped
        PipelineQueries queries(IngestConfig config, ObjectMapper json) {
            return config.processorUrl().<PipelineQueries>map(url -> new ProcessorQueries(url, json))
                    .orElseGet(Unconfigured::new);
        }
    }

    /** No processor to ask: every question is answered 503 with the setting that is missing. */
    static final class Unconfigured implements PipelineQueries {
        private static QueryUnavailable missing() {
            return new QueryUnavailable("no stream processor to ask: set bigsegments.ingest.processor-url", null);
        }

        @Override
        public List<Membership> members(String environmentId, String segmentKey, int generation, List<String> hashes) {
            throw missing();
        }

        @Override
        public List<SegmentCounts> counts(String environmentId, List<SegmentAt> segments) {
            throw missing();
        }
    }
}
