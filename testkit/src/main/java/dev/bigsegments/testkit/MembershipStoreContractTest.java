package dev.bigsegments.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.launchdarkly.sdk.server.subsystems.BigSegmentStore;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentRef;
import dev.bigsegments.schemas.avro.MemberList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every membership store writer must do, checked the only way that matters: a real LaunchDarkly SDK
 * reading the store through a reader written to the layout specification. Subclass it per store, run
 * against a real server. {@code S} is the store under test; {@link Op} mirrors one of its set operations.
 */
@ExtendWith(ProbeLogsOnFailure.class)
public abstract class MembershipStoreContractTest<S extends AutoCloseable> {
    protected static final String ENV_A = "env-a";
    protected static final String ENV_B = "env-b";
    protected static final String SEGMENT = "big-seg";
    protected static final int GENERATION = 3;
    protected static final String REF = SegmentRef.of(SEGMENT, GENERATION);
    protected static final Duration STALE_AFTER = Duration.ofMinutes(1);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** One set operation, as the store under test takes it. */
    protected record Op(String environmentId, String contextHash, MemberList list, String segmentRef, boolean add) {
    }

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<SdkProbe> probes = new ArrayList<>();
    protected String prefixA;
    protected String prefixB;
    protected S store;

    /** A store writing environment ids to the given prefixes. */
    protected abstract S createStore(Map<String, String> prefixesByEnvironment) throws Exception;

    protected abstract void apply(S store, List<Op> ops) throws Exception;

    protected abstract void stamp(S store, String environmentId, long unixMs) throws Exception;

    /** Removes the environment's synchronizedOn. */
    protected abstract void clearStamp(S store, String environmentId) throws Exception;

    /** The store's fill markers of the environment for these partitions (absent: not there). */
    protected abstract Map<Integer, String> fillMarkers(S store, String environmentId, List<Integer> partitions)
            throws Exception;

    protected abstract void markFilled(S store, String environmentId, List<Integer> partitions, String group)
            throws Exception;

    /** Puts something other than a set where the context's included set belongs, as a stray write would. */
    protected abstract void corruptIncluded(String prefix, String contextHash) throws Exception;

    /** A store like {@link #createStore} whose server cannot be reached. */
    protected abstract S createUnreachableStore(Map<String, String> prefixesByEnvironment) throws Exception;

    /** Whether the failure is one the writer retries (the store's own classification). */
    protected abstract boolean isTransient(Throwable failure);

    /** A reader, as an SDK would configure it, of what the store writes under {@code prefix}. */
    protected abstract BigSegmentStore createReader(String prefix) throws Exception;

    @BeforeEach
    void createStoreUnderTest() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        prefixA = "contract-" + run + "-a";
        prefixB = "contract-" + run + "-b";
        store = createStore(Map.of(ENV_A, prefixA, ENV_B, prefixB));
        resources.add(store);
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void anIncludedContextEvaluatesTrueAndHealthyAfterStamping() throws Exception {
        apply(store, List.of(include("user-key")));
        stampNow(ENV_A);
        assertEventually(probe(prefixA), "user-key", Evaluation.healthy(true));
    }

    @Test
    void applyingTheSameBatchTwiceLeavesTheSameResult() throws Exception {
        List<Op> batch = List.of(include("user1"), exclude("user2"), op(ENV_A, "user3", MemberList.INCLUDED, REF, false));
        apply(store, batch);
        apply(store, batch);
        stampNow(ENV_A);
        SdkProbe probe = probe(prefixA);
        assertEventually(probe, "user1", Evaluation.healthy(true));
        assertThat(probe.evaluate("user2")).isEqualTo(Evaluation.healthy(false));
        assertThat(probe.evaluate("user3")).isEqualTo(Evaluation.healthy(false));
        assertThat(membership(prefixA, "user2", REF)).isEqualTo(Boolean.FALSE);
    }

    @Test
    void aLaterBatchRemovingThenReAddingEndsIncluded() throws Exception {
        stampNow(ENV_A);
        SdkProbe probe = probe(prefixA);
        apply(store, List.of(include("user1")));
        assertEventually(probe, "user1", Evaluation.healthy(true));
        apply(store, List.of(remove(include("user1"))));
        assertEventually(probe, "user1", Evaluation.healthy(false));
        apply(store, List.of(include("user1")));
        assertEventually(probe, "user1", Evaluation.healthy(true));
    }

    @Test
    void aContextOnlyExcludedEvaluatesFalse() throws Exception {
        apply(store, List.of(exclude("user1")));
        stampNow(ENV_A);
        assertEventually(probe(prefixA), "user1", Evaluation.healthy(false));
        assertThat(membership(prefixA, "user1", REF)).as("the exclusion is in the store").isEqualTo(Boolean.FALSE);
    }

    @Test
    void aContextBothIncludedAndExcludedIsIncluded() throws Exception {
        apply(store, List.of(include("user1"), exclude("user1")));
        stampNow(ENV_A);
        assertEventually(probe(prefixA), "user1", Evaluation.healthy(true));
    }

    @Test
    void removingAContextFromIncludedMakesItEvaluateFalse() throws Exception {
        apply(store, List.of(include("user1"), include("user2")));
        stampNow(ENV_A);
        SdkProbe probe = probe(prefixA);
        assertEventually(probe, "user1", Evaluation.healthy(true));
        apply(store, List.of(remove(include("user1"))));
        assertEventually(probe, "user1", Evaluation.healthy(false));
        assertThat(probe.evaluate("user2")).isEqualTo(Evaluation.healthy(true));
    }

    @Test
    void aRefOfAnotherGenerationNeverMatches() throws Exception {
        String oldRef = SegmentRef.of(SEGMENT, GENERATION - 1);
        apply(store, List.of(op(ENV_A, "user1", MemberList.INCLUDED, oldRef, true)));
        stampNow(ENV_A);
        assertEventually(probe(prefixA), "user1", Evaluation.healthy(false));
        assertThat(membership(prefixA, "user1", oldRef)).as("the old generation is in the store")
                .isEqualTo(Boolean.TRUE);
    }

    @Test
    void withoutAStampTheSdkReportsStaleButStillUsesTheData() throws Exception {
        apply(store, List.of(include("user1")));
        assertEventually(probe(prefixA), "user1", Evaluation.stale(true));
    }

    @Test
    void aStampOlderThanStaleAfterIsStaleAndAFreshOneHealthy() throws Exception {
        apply(store, List.of(include("user1")));
        stamp(store, ENV_A, System.currentTimeMillis() - STALE_AFTER.multipliedBy(2).toMillis());
        SdkProbe probe = probe(prefixA);
        assertEventually(probe, "user1", Evaluation.stale(true));
        stampNow(ENV_A);
        assertEventually(probe, "user1", Evaluation.healthy(true));
    }

    @Test
    void nonAsciiContextKeysMatchThroughTheirHash() throws Exception {
        apply(store, List.of(include("ключ-🙂")));
        stampNow(ENV_A);
        SdkProbe probe = probe(prefixA);
        assertEventually(probe, "ключ-🙂", Evaluation.healthy(true));
        assertThat(probe.evaluate("ключ-🙃")).isEqualTo(Evaluation.healthy(false));
    }

    @Test
    void twoEnvironmentsWithDifferentPrefixesDoNotSeeEachOther() throws Exception {
        apply(store, List.of(include("user1"), op(ENV_B, "user2", MemberList.INCLUDED, REF, true)));
        stampNow(ENV_A);
        stampNow(ENV_B);
        SdkProbe a = probe(prefixA);
        SdkProbe b = probe(prefixB);
        assertEventually(a, "user1", Evaluation.healthy(true));
        assertEventually(b, "user2", Evaluation.healthy(true));
        assertThat(a.evaluate("user2")).isEqualTo(Evaluation.healthy(false));
        assertThat(b.evaluate("user1")).isEqualTo(Evaluation.healthy(false));
    }

    @Test
    void aClearedStampMakesTheSdkReportTheStoreStaleAgain() throws Exception {
        apply(store, List.of(include("user1")));
        stampNow(ENV_A);
        SdkProbe probe = probe(prefixA);
        assertEventually(probe, "user1", Evaluation.healthy(true));
        clearStamp(store, ENV_A);
        assertEventually(probe, "user1", Evaluation.stale(true));
    }

    @Test
    void fillMarkersArePerEnvironmentAndPartitionAndTheSdkNeverSeesThem() throws Exception {
        List<Integer> partitions = List.of(0, 1, 2);
        assertThat(fillMarkers(store, ENV_A, partitions)).isEmpty();
        markFilled(store, ENV_A, List.of(0, 2), "group-1");
        markFilled(store, ENV_B, List.of(1), "group-2");
        assertThat(fillMarkers(store, ENV_A, partitions)).isEqualTo(Map.of(0, "group-1", 2, "group-1"));
        assertThat(fillMarkers(store, ENV_B, partitions)).isEqualTo(Map.of(1, "group-2"));
        markFilled(store, ENV_A, List.of(2), "group-3");
        assertThat(fillMarkers(store, ENV_A, partitions)).isEqualTo(Map.of(0, "group-1", 2, "group-3"));
        apply(store, List.of(include("user1")));
        stampNow(ENV_A);
        SdkProbe probe = probe(prefixA);
        assertEventually(probe, "user1", Evaluation.healthy(true));
        assertThat(probe.evaluate("user2")).isEqualTo(Evaluation.healthy(false));
    }

    @Test
    void aMembershipOfAnotherTypeIsAPermanentFailureNamingTheHashNeverTheKey() throws Exception {
        String hash = ContextHashes.hash("user-secret-key");
        corruptIncluded(prefixA, hash);
        assertThatThrownBy(() -> apply(store, List.of(include("user-secret-key"))))
                .satisfies(e -> assertThat(isTransient(e)).as("transient").isFalse())
                .hasMessageContaining(hash).hasMessageNotContaining("user-secret-key");
    }

    @Test
    void aStoreThatCannotBeReachedIsATransientFailure() throws Exception {
        try (S unreachable = createUnreachableStore(Map.of(ENV_A, prefixA))) {
            assertThatThrownBy(() -> apply(unreachable, List.of(include("user1"))))
                    .satisfies(e -> assertThat(isTransient(e)).as("transient").isTrue());
            assertThatThrownBy(() -> stamp(unreachable, ENV_A, 1L))
                    .satisfies(e -> assertThat(isTransient(e)).as("transient").isTrue());
        }
    }

    // --- helpers for this suite and store-specific subclasses ---

    protected static Op include(String contextKey) {
        return op(ENV_A, contextKey, MemberList.INCLUDED, REF, true);
    }

    protected static Op exclude(String contextKey) {
        return op(ENV_A, contextKey, MemberList.EXCLUDED, REF, true);
    }

    protected static Op remove(Op op) {
        return new Op(op.environmentId(), op.contextHash(), op.list(), op.segmentRef(), false);
    }

    protected static Op op(String environmentId, String contextKey, MemberList list, String ref, boolean add) {
        return new Op(environmentId, ContextHashes.hash(contextKey), list, ref, add);
    }

    protected void stampNow(String environmentId) throws Exception {
        stamp(store, environmentId, System.currentTimeMillis());
    }

    /** A probe evaluating {@link #SEGMENT} generation {@link #GENERATION} from what is under {@code prefix}. */
    protected SdkProbe probe(String prefix) throws Exception {
        SdkProbe probe = SdkProbe.forSegment(SEGMENT, GENERATION, createReader(prefix), STALE_AFTER);
        probes.add(probe);
        resources.add(probe);
        return probe;
    }

    /** What the store says about one ref for one context: true included, false excluded, null neither. */
    protected Boolean membership(String prefix, String contextKey, String ref) throws Exception {
        try (BigSegmentStore reader = createReader(prefix)) {
            return reader.getMembership(ContextHashes.hash(contextKey)).checkMembership(ref);
        }
    }

    /** The SDK polls store status and may cache membership, so the answer is awaited, never slept for. */
    protected static void assertEventually(SdkProbe probe, String contextKey, Evaluation expected) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(probe.evaluate(contextKey)).isEqualTo(expected));
    }

    /** Logs of the probes this test created, printed by {@link ProbeLogsOnFailure}. */
    String probeLogs() {
        StringBuilder sb = new StringBuilder();
        for (SdkProbe p : probes) {
            sb.append(p.capturedLogs()).append('\n');
        }
        return sb.toString();
    }
}
