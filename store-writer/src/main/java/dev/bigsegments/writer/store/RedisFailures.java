package dev.bigsegments.writer.store;

import java.io.IOException;
import java.util.List;

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

    /**
     * An error reply to one command.
     *
     * @param what the command and key that failed; names a context hash at most
     */
    static StoreWriteException reply(String what, String error) {
        String message = what + " failed: " + error;
        return isTransientReply(error) ? StoreWriteException.transientFailure(message, null)
                : StoreWriteException.permanent(message, null);
    }

    /**
     * A connection that could not be made, broke or timed out: always worth retrying on a new connection,
     * since the operations are idempotent.
     */
    static StoreWriteException connection(String what, IOException failure) {
        return StoreWriteException.transientFailure(what + " failed: " + failure, failure);
    }

    static boolean isTransientReply(String reply) {
        if (reply == null) {
            return false;
        }
        return TRANSIENT_REPLIES.stream().anyMatch(code -> reply.equals(code) || reply.startsWith(code + " "));
    }
}
