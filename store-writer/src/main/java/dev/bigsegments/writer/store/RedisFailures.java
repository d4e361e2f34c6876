package dev.bigsegments.writer.store;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Sorts Redis failures into transient (retry) and permanent (stop and say so). */
final class RedisFailures {
    /**
     * Error replies that go away by themselves: a server loading its data set, busy with a script, a
     * cluster resharding, a failover in progress. Every other reply (NOPERM, WRONGTYPE, WRONGPASS, ERR ...)
     * will be the same on the next attempt.
     */
    private static final List<String> TRANSIENT_REPLIES = List.of("LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN",
            "READONLY");

    private RedisFailures() {
    }

    /** @param what the command and key that failed; names a context hash at most */
    static StoreWriteException classify(String what, Throwable failure) {
        Throwable cause = unwrap(failure);
        RedisCommandExecutionException reply = find(cause, RedisCommandExecutionException.class);
        if (reply != null) {
            String message = what + " failed: " + reply.getMessage();
            return isTransientReply(reply.getMessage()) ? StoreWriteException.transientFailure(message, cause)
                    : StoreWriteException.permanent(message, cause);
        }
        String message = what + " failed: " + cause;
        if (cause instanceof RedisException || cause instanceof IOException || cause instanceof TimeoutException) {
            return StoreWriteException.transientFailure(message, cause);
        }
        return StoreWriteException.permanent(message, cause);
    }

    static boolean isTransientReply(String reply) {
        if (reply == null) {
            return false;
        }
        return TRANSIENT_REPLIES.stream().anyMatch(code -> reply.equals(code) || reply.startsWith(code + " "));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
