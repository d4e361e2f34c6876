package dev.bigsegments.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.ingest.errors.Conflict;
import dev.bigsegments.ingest.errors.Forbidden;
import dev.bigsegments.ingest.errors.IngestException;
import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.errors.LimitExceeded;
import dev.bigsegments.ingest.errors.NotFound;
import dev.bigsegments.ingest.errors.RateLimited;
import dev.bigsegments.ingest.errors.Unauthorized;
import dev.bigsegments.ingest.errors.Unavailable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorAnswersTest {
    @Test
    void everyDomainRefusalHasItsStatusAndCode() {
        List<IngestException> refusals = List.of(new InvalidRequest("m"), new Unauthorized("m"), new Forbidden("m"),
                new NotFound("m"), new Conflict("m"), new LimitExceeded("m"), new RateLimited("m", 3),
                new Unavailable("m"));
        assertThat(refusals).extracting(e -> ErrorAnswers.of(e).status())
                .containsExactly(400, 401, 403, 404, 409, 413, 429, 503);
        assertThat(refusals).extracting(e -> ErrorAnswers.of(e).code()).containsExactly("invalid_request",
                "unauthorized", "forbidden", "not_found", "conflict", "payload_too_large", "rate_limited",
                "pipeline_unavailable");
    }

    @Test
    void aRateLimitCarriesRetryAfterAndTheBodyIsCodeAndMessage() {
        ErrorAnswer limited = ErrorAnswers.of(new RateLimited("too many", 7));
        assertThat(limited.headers()).containsExactly(Map.entry("Retry-After", "7"));
        assertThat(limited.body()).containsExactly(Map.entry("code", "rate_limited"),
                Map.entry("message", "too many; retry after 7 s"));
        assertThat(ErrorAnswers.framework(415, "no", Map.of()).code()).isEqualTo("unsupported_media_type");
        assertThat(ErrorAnswers.internal("ref-1").message()).contains("ref-1").doesNotContain("Exception");
    }
}
