package dev.bigsegments.testkit;

import com.launchdarkly.sdk.EvaluationReason.BigSegmentsStatus;

/** What the SDK answered for the probe flag: the flag value and the reason's big-segment status. */
public record Evaluation(boolean value, BigSegmentsStatus status) {

    public static Evaluation healthy(boolean value) {
        return new Evaluation(value, BigSegmentsStatus.HEALTHY);
    }

    public static Evaluation stale(boolean value) {
        return new Evaluation(value, BigSegmentsStatus.STALE);
    }
}
