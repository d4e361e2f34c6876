package dev.bigsegments.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints what the SDK logged during a contract test, only when the test failed. */
final class ProbeLogsOnFailure implements TestWatcher {

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        context.getTestInstance()
                .filter(MembershipStoreContractTest.class::isInstance)
                .map(t -> ((MembershipStoreContractTest<?>) t).probeLogs())
                .filter(logs -> !logs.isBlank())
                .ifPresent(logs -> System.err.println("SDK log of " + context.getDisplayName() + ":\n" + logs));
    }
}
