package dev.bigsegments.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.auth.FailedAuthLimiter;
import dev.bigsegments.ingest.auth.TokenAuthorizer;
import dev.bigsegments.ingest.body.BodyLimit;
import dev.bigsegments.ingest.errors.Forbidden;
import dev.bigsegments.ingest.errors.IngestException;
import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.errors.RateLimited;
import dev.bigsegments.ingest.errors.Unauthorized;
import dev.bigsegments.ingest.synced.Integrations;
import dev.bigsegments.ingest.synced.SyncedResponses;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import org.jboss.resteasy.reactive.server.vertx.VertxInputStream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;

/**
 * Refuses hostile requests before their body is read. It runs on the event loop as a route filter,
 * ahead of the server's own body-size check and of RESTEasy, which is where a body is first read (the
 * server holds a request's body back until someone asks for it). It checks the token (401; 403 on the
 * synced endpoint, as tools expect; 429 once an address sent too many bad ones) and a declared
 * Content-Length against the endpoint's limit (413). A refused request never gets {@code 100 Continue}.
 *
 * <p>Every answer of 400 or more given before the body was read to its end (here, or later by a resource
 * that refused without reading all of it) ends the connection once the client sent the rest, or
 * {@link #DRAIN_BYTES} of the body were read, or after {@link #DRAIN_MILLIS}: otherwise the server would
 * read and discard all of it to keep the connection. Reading that little first lets a client that is
 * still sending see the answer.
 */
@ApplicationScoped
public class RequestGuard {
    /**
     * Filters become routes of order -priority: this one comes before the server's body-size check (-2)
     * and far before RESTEasy (20500), which reads the body (HostileUploadTest fails when it comes after).
     */
    static final int PRIORITY = 3;
    /** Right after the server's body-size check (-2): see {@link #leaveStreamLimitsToTheReaders}. */
    static final int AFTER_SERVER_CHECK = 1;
    static final long DRAIN_BYTES = 1024 * 1024;
    static final long DRAIN_MILLIS = 2_000;
    private static final String UNKNOWN_ADDRESS = "unknown";

    @Inject
    TokenAuthorizer authorizer;

    @Inject
    BodyLimits limits;

    @Inject
    IngestConfig config;

    @Inject
    Integrations integrations;

    @Inject
    ObjectMapper json;

    @Inject
    Vertx vertx;

    private volatile FailedAuthLimiter failures;

    void register(@Observes Filters filters) {
        failures = new FailedAuthLimiter(config.auth().maxFailures(), config.auth().failureWindow(), System::nanoTime);
        filters.register(this::handle, PRIORITY);
        filters.register(RequestGuard::leaveStreamLimitsToTheReaders, AFTER_SERVER_CHECK);
    }

    /**
     * For a body of undeclared length (chunked) the server's check marks the request with its own limit,
     * which its blocking input stream enforces with an empty 413 of its own. The readers enforce each
     * endpoint's limit as they read instead, in JSON: the JSON bodies through {@code BodyLimit}, and a
     * CSV upload through the multipart parser, which stops at the server's limit (the CSV limit).
     */
    private static void leaveStreamLimitsToTheReaders(RoutingContext ctx) {
        ctx.remove(VertxInputStream.MAX_REQUEST_SIZE_KEY);
        ctx.next();
    }

    void handle(RoutingContext ctx) {
        endConnectionIfRefusedEarly(ctx);
        Endpoint endpoint = Endpoint.of(ctx.normalizedPath());
        try {
            if (endpoint.needsToken()) {
                authenticate(ctx.request(), endpoint);
            }
            checkDeclaredLength(ctx.request(), limits.of(endpoint));
        } catch (IngestException e) {
            answer(ctx, endpoint, ErrorAnswers.of(e));
            return;
        } catch (RuntimeException e) {
            answer(ctx, endpoint, ErrorAnswers.unexpected(e, ctx.request().method() + " " + ctx.normalizedPath()));
            return;
        }
        ctx.next();
    }

    private void authenticate(HttpServerRequest request, Endpoint endpoint) {
        try {
            authorizer.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        } catch (Unauthorized e) {
            long wait = failures.failed(request.remoteAddress() == null ? UNKNOWN_ADDRESS
                    : request.remoteAddress().hostAddress());
            if (wait > 0) {
                throw new RateLimited("too many requests with a missing or unknown token from this address", wait);
            }
            throw endpoint == Endpoint.SYNCED ? new Forbidden(e.getMessage()) : e;
        }
    }

    private static void checkDeclaredLength(HttpServerRequest request, BodyLimit limit) {
        long length = declaredLength(request);
        if (length == Long.MAX_VALUE) {
            throw new InvalidRequest("Content-Length must be a number of bytes");
        }
        limit.checkDeclared(length);
    }

    private void answer(RoutingContext ctx, Endpoint endpoint, ErrorAnswer answer) {
        Object body = answer.body();
        if (endpoint == Endpoint.SYNCED) {
            var descriptor = integrations.get(Endpoint.integrationKey(ctx.normalizedPath())).orElse(null);
            body = SyncedResponses.errorBody(descriptor, SyncedResponses.Subject.UNKNOWN, answer);
        }
        HttpServerResponse response = ctx.response().setStatusCode(answer.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        answer.headers().forEach(response::putHeader);
        try {
            response.end(Buffer.buffer(json.writeValueAsBytes(body)));
        } catch (JsonProcessingException x) {
            throw new UncheckedIOException("an error body of strings cannot fail to serialize", x);
        }
    }

    /**
     * An answer of 400 or more given before the body was read to its end ends the connection, announced
     * with {@code Connection: close}: first the rest of the body is read and dropped, up to the drain
     * limits. A request without a body keeps its connection.
     */
    private void endConnectionIfRefusedEarly(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        if (request.version() == HttpVersion.HTTP_2 || !hasBody(request)) {
            // HTTP/2: one stream of a shared connection, and flow control already bounds what the client sends.
            return;
        }
        ctx.addHeadersEndHandler(v -> {
            if (refusedEarly(request, response)) {
                response.putHeader(HttpHeaders.CONNECTION, "close");
            }
        });
        ctx.addEndHandler(v -> {
            if (refusedEarly(request, response)) {
                drainThenClose(request);
            }
        });
    }

    private static boolean hasBody(HttpServerRequest request) {
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || declaredLength(request) > 0;
    }

    private static boolean refusedEarly(HttpServerRequest request, HttpServerResponse response) {
        return response.getStatusCode() >= 400 && !request.isEnded();
    }

    private void drainThenClose(HttpServerRequest request) {
        long timer = vertx.setTimer(DRAIN_MILLIS, t -> request.connection().close());
        try {
            request.endHandler(v -> {
                vertx.cancelTimer(timer);
                request.connection().close();
            });
            request.handler(chunk -> {
                if (request.bytesRead() > DRAIN_BYTES) {
                    vertx.cancelTimer(timer);
                    request.connection().close();
                }
            });
            request.resume();
        } catch (IllegalStateException ended) {
            // The body ended meanwhile: nothing is left to read.
            vertx.cancelTimer(timer);
            request.connection().close();
        }
    }

    private static long declaredLength(HttpServerRequest request) {
        try {
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            return length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
