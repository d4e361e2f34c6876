package dev.bigsegments.writer.store;

import io.lettuce.core.RedisCommandExecutionException;
import java.util.List;

/** Sorts Redis failures into transient (retry) and permanent (stop and say so). */
final class RedisFailures {
    /**
     * Error replies that go away by themselves: a server loading its data set, busy with a script, a
     * cluster resharding or failing over, a replica not yet promoted. Every other reply (NOPERM, WRONGTYPE,
     * WRONGPASS, ERR ...) will be the same on the next attempt.
     */
    private static final List<String> TRANSIENT_REPLIES = List.of("LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN",
            "READONLY", "CLUSTERDOWN", "MOVED", "ASK");

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
     * A failure without an answer, or the client's report of one: an error reply found anywhere in its causes
     * (a wrong password while connecting, say) decides; anything else (refused, broken, closed, timed out) is
     * worth retrying on a new connection, since the operations are idempotent.
     */
    static StoreWriteException of(String what, Throwable failure) {
        if (failure instanceof StoreWriteException s) {
            return s;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisCommandExecutionException reply) {
                return reply(what, String.valueOf(reply.getMessage()));
            }
        }
        return StoreWriteException.transientFailure(what + " failed: " + failure, failure);
    }

    static boolean isTransientReply(String reply) {
        if (reply == null) {
            return false;
        }
        return TRANSIENT_REPLIES.stream().anyMatch(code -> reply.equals(code) || reply.startsWith(code + " "));
    }
}
