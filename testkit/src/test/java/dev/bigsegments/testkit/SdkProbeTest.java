package dev.bigsegments.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.launchdarkly.sdk.EvaluationReason.BigSegmentsStatus;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStore;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStoreTypes;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStoreTypes.Membership;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStoreTypes.StoreMetadata;
import dev.bigsegments.schemas.ContextHashes;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class SdkProbeTest {
    private static final Duration STALE_AFTER = Duration.ofMinutes(1);

    @Test
    void anIncludedContextEvaluatesTrueWithoutTouchingTheNetwork() throws Exception {
        InMemoryStore store = new InMemoryStore();
        store.include("user1", "seg.g3");
        try (ServerSocket endpoint = new ServerSocket(0)) {
            try (SdkProbe probe = SdkProbe.builder("seg", 3, store).staleAfter(STALE_AFTER)
                    .serviceEndpoint(URI.create("http://127.0.0.1:" + endpoint.getLocalPort())).build()) {
                assertThat(probe.evaluate("user1")).isEqualTo(Evaluation.healthy(true));
                assertThat(probe.evaluate("user2")).isEqualTo(Evaluation.healthy(false));
            }
            assertThat(someoneConnected(endpoint)).as("the SDK connected to its service endpoint").isFalse();
        }
    }

    @Test
    void aStoreThatFailsIsReportedAsStoreError() {
        InMemoryStore store = new InMemoryStore();
        store.failing = true;
        try (SdkProbe probe = SdkProbe.forSegment("seg", 3, store, STALE_AFTER)) {
            assertThat(probe.evaluate("user1")).isEqualTo(new Evaluation(false, BigSegmentsStatus.STORE_ERROR));
        }
    }

    @Test
    void withoutMetadataTheStatusIsStale() {
        InMemoryStore store = new InMemoryStore();
        store.synchronizedOn = null;
        store.include("user1", "seg.g3");
        try (SdkProbe probe = SdkProbe.forSegment("seg", 3, store, STALE_AFTER)) {
            assertThat(probe.evaluate("user1")).isEqualTo(Evaluation.stale(true));
        }
    }

    @Test
    void theDefaultProbeReadsEveryChangeWhileACachingOneDoesNot() {
        InMemoryStore store = new InMemoryStore();
        try (SdkProbe fresh = SdkProbe.forSegment("seg", 3, store, STALE_AFTER);
                SdkProbe cached = SdkProbe.builder("seg", 3, store).userCacheSize(100)
                        .userCacheTime(Duration.ofHours(1)).build()) {
            assertThat(cached.evaluate("user1").value()).isFalse();
            store.include("user1", "seg.g3");
            assertThat(fresh.evaluate("user1").value()).isTrue();
            assertThat(cached.evaluate("user1").value()).isFalse();
        }
    }

    /** A connection attempt would wait in the listen backlog, so a short accept finds it. */
    private static boolean someoneConnected(ServerSocket endpoint) throws IOException {
        endpoint.setSoTimeout(200);
        try (Socket ignored = endpoint.accept()) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** A store held in memory, keyed by context hash as the SDK queries it. */
    private static final class InMemoryStore implements BigSegmentStore {
        private final Map<String, List<String>> included = new ConcurrentHashMap<>();
        volatile Long synchronizedOn = System.currentTimeMillis();
        volatile boolean failing;

        void include(String contextKey, String ref) {
            included.put(ContextHashes.hash(contextKey), List.of(ref));
        }

        @Override
        public Membership getMembership(String contextHash) {
            if (failing) {
                throw new IllegalStateException("store down");
            }
            return BigSegmentStoreTypes.createMembershipFromSegmentRefs(included.get(contextHash), null);
        }

        @Override
        public StoreMetadata getMetadata() {
            Long at = synchronizedOn;
            return at == null ? null : new StoreMetadata(at);
        }

        @Override
        public void close() {
        }
    }
}
