package dev.bigsegments.writer.store;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.concurrent.CancellationException;

/**
 * One SADD or SREM of a batch, reporting its outcome to the batch when Lettuce completes it: no future per
 * command, so a bulk load costs little more than encoding. A Cluster connection wraps it for MOVED and ASK
 * redirections and completes it only once it is answered where it belongs.
 */
final class BatchCommand extends Command<byte[], byte[], Long> {
    private final RedisBatch batch;
    private final int index;
    private boolean reported;

    BatchCommand(CommandType type, CommandArgs<byte[], byte[]> args, RedisBatch batch, int index) {
        super(type, new IntegerOutput<>(ByteArrayCodec.INSTANCE), args);
        this.batch = batch;
        this.index = index;
    }

    /** Answered: an error reply is in the output. */
    @Override
    public void complete() {
        super.complete();
        report(getOutput().getError(), null);
    }

    /** Not answered: the connection broke, closed or refused the command. */
    @Override
    public boolean completeExceptionally(Throwable failure) {
        boolean done = super.completeExceptionally(failure);
        report(null, failure);
        return done;
    }

    @Override
    public void cancel() {
        super.cancel();
        report(null, new CancellationException("the command was cancelled"));
    }

    /** The client refused it before sending it. */
    void failUnsent(Throwable failure) {
        report(null, failure);
    }

    private synchronized void report(String error, Throwable failure) {
        if (!reported) {
            reported = true;
            batch.answered(index, error, failure);
        }
    }
}
