package dev.bigsegments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.cli.diff.DiffReport;
import dev.bigsegments.cli.diff.HashSample;
import dev.bigsegments.cli.diff.MembershipDiff;
import dev.bigsegments.cli.diff.Memberships;
import dev.bigsegments.cli.diff.Slot;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.SetOp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MembershipDiffTest {
    private static final String ENV = "env";
    private static final String A = ContextHashes.hash("a");
    private static final String B = ContextHashes.hash("b");

    @Test
    void missingAndExtraRefsAreTheSetDifferencesPerList() {
        Memberships truth = new Memberships();
        truth.setState(A, "s.g1", true, false);
        truth.setState(B, "s.g1", false, true);
        Memberships store = new Memberships();
        store.setState(A, "s.g1", true, false);
        store.setState(A, "old.g1", true, false);

        MembershipDiff diff = MembershipDiff.between(ENV, truth, store, Set.of());

        assertThat(diff.missing()).containsExactly(new SetOp(ENV, B, MemberList.EXCLUDED, "s.g1", true));
        assertThat(diff.extra()).containsExactly(new SetOp(ENV, A, MemberList.INCLUDED, "old.g1", false));
    }

    @Test
    void aKeyOfTheWrongTypeCountsAsEmptySoAllItsTruthIsMissing() {
        Memberships truth = new Memberships();
        truth.setState(A, "s.g1", true, false);
        truth.setState(A, "t.g2", true, false);
        Slot broken = new Slot(MemberList.INCLUDED, A);

        MembershipDiff diff = MembershipDiff.between(ENV, truth, new Memberships(), Set.of(broken));

        assertThat(diff.missing()).hasSize(2);
        assertThat(diff.wrongType()).containsExactly(broken);
        assertThat(diff.isEmpty()).isFalse();
    }

    @Test
    void aLaterStateReplacesAnEarlierOneAndATombstoneClearsBothLists() {
        Memberships truth = new Memberships();
        truth.setState(A, "s.g1", true, false);
        truth.setState(A, "s.g1", false, true);
        truth.setState(B, "s.g1", true, true);
        truth.setState(B, "s.g1", false, false);

        assertThat(truth.refs(new Slot(MemberList.INCLUDED, A))).isEmpty();
        assertThat(truth.refs(new Slot(MemberList.EXCLUDED, A))).containsExactly("s.g1");
        assertThat(truth.slots()).containsExactly(new Slot(MemberList.EXCLUDED, A));
    }

    @Test
    void theReportShowsCountsAndHashesPerSegment() {
        Memberships truth = new Memberships();
        truth.setState(A, "s.g1", true, false);
        StringWriter out = new StringWriter();

        DiffReport.print(new PrintWriter(out), MembershipDiff.between(ENV, truth, new Memberships(), Set.of()), 5);

        assertThat(out.toString()).containsPattern("s\\.g1 +included +1 +0 +" + java.util.regex.Pattern.quote(A))
                .contains("total: 1 missing, 0 extra, 0 keys of the wrong type");
    }

    @Test
    void aSampleIsDeterministicAndRoughlyItsRate() {
        HashSample sample = new HashSample(0.1);
        long picked = IntStream.range(0, 20_000).mapToObj(i -> ContextHashes.hash("k" + i))
                .filter(sample::includes).count();

        assertThat(picked).isBetween(1_700L, 2_300L);
        assertThat(sample.includes(A)).isEqualTo(new HashSample(0.1).includes(ContextHashes.digest("a")));
        assertThat(HashSample.all().includes(A)).isTrue();
    }
}
