package dev.bigsegments.ingest.http;

import dev.bigsegments.ingest.body.BodyLimit;
import dev.bigsegments.ingest.errors.IngestException;
import dev.bigsegments.ingest.errors.InvalidRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser.MalformedMessageException;

/**
 * Renders every exception that leaves a resource (or the framework's handling of a request) as
 * {@link ErrorAnswers} decides: domain refusals, the framework's own 4xx answers, and anything
 * unexpected as a 500 with a generic message and an ERROR log line carrying the cause.
 */
public class ExceptionMappers {
    /** What the multipart parser says (streaming, or reading a whole body) when a body ends before its last boundary. */
    private static final Set<String> MULTIPART_CUT_SHORT = Set.of("Connection terminated reading multipart data",
            "Connection terminated parsing multipart request");

    @Inject
    BodyLimits limits;

    @ServerExceptionMapper
    public Response domain(IngestException e) {
        return render(ErrorAnswers.of(e));
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e, ContainerRequestContext request,
            HttpServerRequest connection) {
        int status = e.getResponse().getStatus();
        if (status < 400 || status >= 500) {
            return unexpected(e, request);
        }
        Map<String, String> headers = new HashMap<>();
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            headers.put(HttpHeaders.ALLOW, allow);
        }
        return render(ErrorAnswers.framework(status, message(status, request, connection), headers));
    }

    /** The multipart parser's refusals of a body cut short or garbled; any other I/O failure is the service's. */
    @ServerExceptionMapper({IOException.class, MalformedMessageException.class})
    public Response unreadableBody(Exception e, ContainerRequestContext request) {
        if (e instanceof MalformedMessageException || MULTIPART_CUT_SHORT.contains(e.getMessage())) {
            return domain(new InvalidRequest("the multipart body is malformed or ends before its closing boundary"));
        }
        return unexpected(e, request);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, ContainerRequestContext request) {
        return render(ErrorAnswers.unexpected(e, request.getMethod() + " " + path(request)));
    }

    static Response render(ErrorAnswer answer) {
        Response.ResponseBuilder r = Response.status(answer.status()).type(MediaType.APPLICATION_JSON)
                .entity(answer.body());
        answer.headers().forEach(r::header);
        return r.build();
    }

    private String message(int status, ContainerRequestContext request, HttpServerRequest connection) {
        String path = path(request);
        return switch (status) {
            case 404 -> "no resource at " + request.getMethod() + " " + path;
            case 405 -> "method " + request.getMethod() + " is not allowed on " + path;
            case 406 -> "the answer can only be " + MediaType.APPLICATION_JSON;
            case 413 -> tooLarge(limits.of(Endpoint.of(path)), connection);
            case 415 -> "content type " + request.getMediaType() + " is not accepted by " + request.getMethod() + " "
                    + path;
            default -> "the request was refused (HTTP " + status + ")";
        };
    }

    /** The multipart parser refuses a whole body past the server's limit, and a form field past its own. */
    private static String tooLarge(BodyLimit limit, HttpServerRequest connection) {
        if (connection.bytesRead() > limit.bytes()) {
            return limit.exceeded().getMessage();
        }
        return "a form field is larger than quarkus.http.limits.max-form-attribute-size";
    }

    private static String path(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return path.startsWith("/") ? path : "/" + path;
    }
}
