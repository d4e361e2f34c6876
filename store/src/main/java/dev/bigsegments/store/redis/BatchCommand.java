package dev.bigsegments.store.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * One SADD or SREM of a batch, reporting its outcome to the batch when Lettuce completes it: no future per
 * command, so a bulk load costs little more than encoding. A Cluster connection wraps it for MOVED and ASK
 * redirections and completes it only once it is answered where it belongs; it routes the command by its
 * arguments' key. A command written to one server's channel has no argument list: it writes its RESP form
 * itself, from the key's two parts and the refs, with nothing built in between.
 */
final class BatchCommand extends Command<byte[], byte[], Long> {
    private static final byte[] CRLF = {'\r', '\n'};

    private final byte[] keyHead;
    private final byte[] keyTail;
    private final List<byte[]> members;
    private final RedisBatch batch;
    private final int index;
    private boolean reported;

    /**
     * @param keyHead the key's prefix, {@code keyTail} the rest (the context hash)
     * @param routed whether a Cluster connection routes it (it then carries its arguments)
     */
    BatchCommand(CommandType type, byte[] keyHead, byte[] keyTail, List<byte[]> members, boolean routed,
            RedisBatch batch, int index) {
        super(type, new IntegerOutput<>(ByteArrayCodec.INSTANCE), routed ? args(keyHead, keyTail, members) : null);
        this.keyHead = keyHead;
        this.keyTail = keyTail;
        this.members = members;
        this.batch = batch;
        this.index = index;
    }

    private static CommandArgs<byte[], byte[]> args(byte[] keyHead, byte[] keyTail, List<byte[]> members) {
        byte[] key = Arrays.copyOf(keyHead, keyHead.length + keyTail.length);
        System.arraycopy(keyTail, 0, key, keyHead.length, keyTail.length);
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key);
        members.forEach(args::addValue);
        return args;
    }

    @Override
    public void encode(ByteBuf buf) {
        if (getArgs() != null) {
            super.encode(buf);
            return;
        }
        buf.writeByte('*');
        writeNumber(buf, 2 + members.size());
        buf.writeBytes(CRLF);
        bulk(buf, getType().getBytes());
        buf.writeByte('$');
        writeNumber(buf, keyHead.length + keyTail.length);
        buf.writeBytes(CRLF);
        buf.writeBytes(keyHead);
        buf.writeBytes(keyTail);
        buf.writeBytes(CRLF);
        for (byte[] member : members) {
            bulk(buf, member);
        }
    }

    private static void bulk(ByteBuf buf, byte[] value) {
        buf.writeByte('$');
        writeNumber(buf, value.length);
        buf.writeBytes(CRLF);
        buf.writeBytes(value);
        buf.writeBytes(CRLF);
    }

    private static void writeNumber(ByteBuf buf, int n) {
        buf.writeCharSequence(Integer.toString(n), StandardCharsets.US_ASCII);
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
