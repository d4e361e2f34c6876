package dev.bigsegments.processor.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.processor.query.SegmentQueries;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.query.PipelineQueries.Membership;
import dev.bigsegments.schemas.query.PipelineQueries.QueryUnavailable;
import dev.bigsegments.schemas.query.PipelineQueries.SegmentAt;
import dev.bigsegments.schemas.query.PipelineQueries.SegmentCounts;
import dev.bigsegments.schemas.query.QueryRequests.CountsRequest;
import dev.bigsegments.schemas.query.QueryRequests.MembersRequest;
import dev.bigsegments.schemas.query.QueryRequests.ShardAt;
import dev.bigsegments.schemas.query.QueryRequests.ShardCountsRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.kafka.streams.state.HostInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's query endpoint, for the ingest service of a deployment where the two run apart. A question
 * about a segment another instance holds is passed on to that instance once ({@link #FORWARDED}); with shards,
 * each part of it to the instance that holds that shard of the segment. Errors are
 * answered in the project's shape, {@code {"code","message"}}.
 */
@Path("/processor/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QueryResource {
    static final String FORWARDED = "X-Bigsegments-Forwarded";
    private static final Logger LOG = LoggerFactory.getLogger(QueryResource.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Inject
    ProcessorService service;

    @Inject
    ObjectMapper json;

    @POST
    @Path("/members")
    public List<Membership> members(MembersRequest request, @HeaderParam(FORWARDED) String forwarded) {
        SegmentQueries queries = queries();
        SegmentId segment = new SegmentId(request.environmentId(), request.segmentKey());
        List<String> hashes = request.hashes();
        Map<Optional<HostInfo>, List<Integer>> byOwner = new LinkedHashMap<>();
        if (forwarded == null && queries.layout().isPresent()) {
            int shards = queries.layout().get().shards();
            Map<Integer, Optional<HostInfo>> ownerOfShard = new HashMap<>();
            for (int i = 0; i < hashes.size(); i++) {
                Optional<HostInfo> owner = ownerOfShard.computeIfAbsent(SegmentQueries.shardOf(hashes.get(i), shards),
                        shard -> queries.owner(segment, shard));
                byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(i);
            }
        } else {
            byOwner.put(forwarded == null ? queries.owner(segment) : Optional.empty(),
                    IntStream.range(0, hashes.size()).boxed().toList());
        }
        Map<Integer, Membership> answers = ask(byOwner,
                positions -> queries.members(request.environmentId(), request.segmentKey(), request.generation(),
                        positions.stream().map(hashes::get).toList()),
                (owner, positions) -> forward(owner, "members", new MembersRequest(request.environmentId(),
                        request.segmentKey(), request.generation(), positions.stream().map(hashes::get).toList()),
                        new TypeReference<List<Membership>>() { }));
        return IntStream.range(0, hashes.size()).mapToObj(answers::get).toList();
    }

    /**
     * With shards, every shard of each segment is counted where it is held ({@code /shard-counts}), and the shards'
     * counts summed.
     */
    @POST
    @Path("/counts")
    public List<SegmentCounts> counts(CountsRequest request, @HeaderParam(FORWARDED) String forwarded) {
        SegmentQueries queries = queries();
        String environmentId = request.environmentId();
        if (forwarded == null && queries.layout().isPresent()) {
            int shards = queries.layout().get().shards();
            Map<Optional<HostInfo>, List<ShardAt>> byOwner = new LinkedHashMap<>();
            for (SegmentAt at : request.segments()) {
                SegmentId segment = new SegmentId(environmentId, at.segmentKey());
                for (int shard = 0; shard < shards; shard++) {
                    byOwner.computeIfAbsent(queries.owner(segment, shard), o -> new ArrayList<>())
                            .add(new ShardAt(at.segmentKey(), at.generation(), shard));
                }
            }
            Map<ShardAt, SegmentCounts> counted = ask(byOwner,
                    parts -> shardCounts(new ShardCountsRequest(environmentId, parts)),
                    (owner, parts) -> forward(owner, "shard-counts", new ShardCountsRequest(environmentId, parts),
                            new TypeReference<List<SegmentCounts>>() { }));
            return request.segments().stream().map(at -> SegmentQueries.sum(at, IntStream.range(0, shards)
                    .mapToObj(shard -> counted.get(new ShardAt(at.segmentKey(), at.generation(), shard))).toList()))
                    .toList();
        }
        Map<Optional<HostInfo>, List<SegmentAt>> byOwner = new LinkedHashMap<>();
        for (SegmentAt at : request.segments()) {
            Optional<HostInfo> owner = forwarded == null
                    ? queries.owner(new SegmentId(environmentId, at.segmentKey())) : Optional.empty();
            byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(at);
        }
        Map<SegmentAt, SegmentCounts> answers = ask(byOwner, segments -> queries.counts(environmentId, segments),
                (owner, segments) -> forward(owner, "counts", new CountsRequest(environmentId, segments),
                        new TypeReference<List<SegmentCounts>>() { }));
        return request.segments().stream().map(answers::get).toList();
    }

    /** Between processors with shards: the counts of shards this instance holds. */
    @POST
    @Path("/shard-counts")
    public List<SegmentCounts> shardCounts(ShardCountsRequest request) {
        SegmentQueries queries = queries();
        if (queries.layout().isEmpty()) {
            throw new IllegalArgumentException("this stream processor has no shards (bigsegments.processor.shards=1)");
        }
        int shards = queries.layout().get().shards();
        for (ShardAt part : request.parts()) {
            if (part.shard() < 0 || part.shard() >= shards) {
                throw new IllegalArgumentException("shard " + part.shard() + " of segment " + part.segmentKey()
                        + " does not exist: this processor has shards 0 to " + (shards - 1));
            }
        }
        return request.parts().stream().map(part -> queries.shardCounts(request.environmentId(),
                new SegmentAt(part.segmentKey(), part.generation()), part.shard())).toList();
    }

    // Error answers of this resource only (mappers declared in a resource class apply to it alone): in the
    // standalone run the ingest service's own mappers answer every other path of the same application.

    @ServerExceptionMapper
    public Response unavailable(QueryUnavailable e) {
        LOG.info("query not answered: {}", e.getMessage());
        return error(503, "unavailable", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return error(400, "invalid_request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        String reference = UUID.randomUUID().toString();
        LOG.error("query failed (reference {})", reference, e);
        return error(500, "internal_error", "the query failed inside the stream processor; the log has the cause"
                + " under reference " + reference);
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", code, "message", message)).build();
    }

    private SegmentQueries queries() {
        return service.queries().orElseThrow(() -> new QueryUnavailable(
                "the stream processor does not run in this application (bigsegments.processor.enabled=false)", null));
    }

    /**
     * Asks each instance its part of a question: the other instances in parallel (each within {@link #TIMEOUT}), then
     * this one ({@code Optional.empty()}). Returns each item's answer.
     *
     * @throws QueryUnavailable when an instance does not answer, or answers with another number of items
     */
    private static <Q, A> Map<Q, A> ask(Map<Optional<HostInfo>, List<Q>> byOwner, Function<List<Q>, List<A>> here,
            BiFunction<HostInfo, List<Q>, CompletableFuture<List<A>>> there) {
        Map<Optional<HostInfo>, CompletableFuture<List<A>>> asked = new LinkedHashMap<>();
        byOwner.forEach((owner, items) -> owner.ifPresent(o -> asked.put(owner, there.apply(o, items))));
        List<Q> mine = byOwner.get(Optional.<HostInfo>empty());
        if (mine != null) {
            asked.put(Optional.empty(), CompletableFuture.completedFuture(here.apply(mine)));
        }
        Map<Q, A> answers = new HashMap<>();
        asked.forEach((owner, answer) -> {
            List<Q> items = byOwner.get(owner);
            List<A> part = answered(owner, answer, items.size());
            for (int i = 0; i < items.size(); i++) {
                answers.put(items.get(i), part.get(i));
            }
        });
        return answers;
    }

    /** A question passed on to another instance, once ({@link #FORWARDED}). */
    private <T> CompletableFuture<List<T>> forward(HostInfo owner, String path, Object body,
            TypeReference<List<T>> type) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port()
                    + "/processor/v1/" + path)).timeout(TIMEOUT).header("Content-Type", MediaType.APPLICATION_JSON)
                    .header(FORWARDED, "1").POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new QueryUnavailable("the stream processor at " + owner + " answered " + response.statusCode(),
                        null);
            }
            try {
                return json.readValue(response.body(), type);
            } catch (IOException e) {
                throw new QueryUnavailable("the stream processor at " + owner + " answered what is not JSON", e);
            }
        });
    }

    /** The answer of {@link #forward} (or of this instance), which must have {@code expected} items. */
    private static <T> List<T> answered(Optional<HostInfo> owner, CompletableFuture<List<T>> answer, int expected) {
        String who = owner.map(o -> "the stream processor at " + o).orElse("this stream processor");
        List<T> items;
        try {
            items = answer.get(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryUnavailable("interrupted while asking " + who, e);
        } catch (TimeoutException e) {
            throw new QueryUnavailable(who + " did not answer in " + TIMEOUT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QueryUnavailable unavailable) {
                throw unavailable;
            }
            throw new QueryUnavailable(who + " did not answer: " + e.getCause().getMessage(), e.getCause());
        }
        if (items == null || items.size() != expected || items.stream().anyMatch(Objects::isNull)) {
            throw new QueryUnavailable(who + " answered " + (items == null ? "nothing" : items.size() + " items")
                    + " for " + expected + " asked", null);
        }
        return items;
    }
}
