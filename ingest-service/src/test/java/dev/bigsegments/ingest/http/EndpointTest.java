package dev.bigsegments.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointTest {
    @Test
    void onlyHealthMetricsAndTheStatusPageGoWithoutATokenAndEachBodyKindIsRecognised() {
        assertThat(Endpoint.of("/q/health/ready")).isEqualTo(Endpoint.OPEN);
        assertThat(Endpoint.of("/q/metrics")).isEqualTo(Endpoint.OPEN);
        assertThat(Endpoint.of("/api/v2/segments/p/e")).isEqualTo(Endpoint.API);
        assertThat(Endpoint.of("/api/v2/segments/p/e/s/contexts")).isEqualTo(Endpoint.API);
        assertThat(Endpoint.of("/api/v2/segments/p/e/s/imports")).isEqualTo(Endpoint.IMPORT);
        assertThat(Endpoint.of("/api/v2/segments/p/e/s/imports/id")).isEqualTo(Endpoint.API);
        assertThat(Endpoint.of("/api/v2/segment-targets/heap-inbound")).isEqualTo(Endpoint.SYNCED);
        assertThat(Endpoint.integrationKey("/api/v2/segment-targets/heap-inbound")).isEqualTo("heap-inbound");
        assertThat(Endpoint.of("/")).isEqualTo(Endpoint.PAGE);
        assertThat(Endpoint.of("/ui/status-page.js")).isEqualTo(Endpoint.PAGE);
        assertThat(Endpoint.of("/status")).isEqualTo(Endpoint.API);
        assertThat(Endpoint.of("/index.htmlx")).isEqualTo(Endpoint.API);
        assertThat(Endpoint.PAGE.needsToken()).isFalse();
        assertThat(Endpoint.of("/qx/health")).isEqualTo(Endpoint.API);
        assertThat(Endpoint.of(null).needsToken()).isTrue();
        assertThat(Endpoint.OPEN.needsToken()).isFalse();
    }
}
