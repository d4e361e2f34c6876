package dev.bigsegments.store.dynamodb;

import dev.bigsegments.store.StoreWriteException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** Sorts DynamoDB failures into transient (throttling, 5xx, I/O: retry) and permanent (stop and say so). */
final class DynamoDbFailures {
    private static final Set<String> TRANSIENT_CODES = Set.of("ProvisionedThroughputExceededException",
            "ThrottlingException", "RequestLimitExceeded", "InternalServerError", "ServiceUnavailable",
            "TransactionInProgressException");

    private DynamoDbFailures() {
    }

    static boolean isTransient(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof SdkServiceException service) {
            String code = t instanceof DynamoDbException d && d.awsErrorDetails() != null
                    ? d.awsErrorDetails().errorCode() : null;
            return service.isThrottlingException() || service.statusCode() >= 500
                    || (code != null && TRANSIENT_CODES.contains(code));
        }
        // No answer from the service: connection refused or reset, timeouts.
        return t instanceof SdkClientException || t instanceof java.io.IOException;
    }

    /** @param what the operation, table and item; names a context hash at most */
    static StoreWriteException classify(String what, Throwable failure) {
        Throwable t = unwrap(failure);
        String code = t instanceof DynamoDbException d && d.awsErrorDetails() != null
                ? d.awsErrorDetails().errorCode() + ": " : "";
        String message = what + " failed: " + code + t.getMessage();
        return isTransient(t) ? StoreWriteException.transientFailure(message, t) : StoreWriteException.permanent(message, t);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
