package dev.bigsegments.ingest.rest;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;

/**
 * Adds to the OpenAPI document the error answers that every operation of a kind may give, so that no resource
 * repeats them: the request guard's refusals (a bad token, too many of them) and a failure of the service, for
 * every operation; a refused environment and an unknown segment or import for the segment endpoints. The
 * answers themselves are described once, under components/responses (META-INF/openapi.yaml).
 */
public final class ApiErrorsFilter implements OASFilter {
    private static final Map<String, String> EVERYWHERE = Map.of("429", "TooManyRequests", "500", "InternalError");
    private static final Map<String, String> SEGMENTS = Map.of("401", "Unauthorized", "403", "Forbidden",
            "404", "NotFound");
    private static final Map<String, String> STATUS = Map.of("401", "Unauthorized");
    /** Tools are refused a bad token with a 403 there, as they expect (README, Synced segments). */
    private static final Map<String, String> SYNCED = Map.of("403", "Forbidden", "404", "NotFound");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            for (Operation operation : operations(item)) {
                add(operation, EVERYWHERE);
                add(operation, path.startsWith("/api/v2/segments/") ? SEGMENTS
                        : path.startsWith("/api/v2/segment-targets/") ? SYNCED : STATUS);
            }
        });
    }

    private static List<Operation> operations(PathItem item) {
        return item.getOperations() == null ? List.of() : List.copyOf(item.getOperations().values());
    }

    private static void add(Operation operation, Map<String, String> answers) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        answers.forEach((code, ref) -> {
            if (operation.getResponses().getAPIResponse(code) == null) {
                operation.getResponses().addAPIResponse(code, OASFactory.createAPIResponse().ref(ref));
            }
        });
    }
}
