package dev.bigsegments.store.redis;

import io.lettuce.core.api.StatefulConnection;
import io.netty.channel.Channel;
import java.util.List;

/**
 * The write connection and how a slice of a batch's commands goes out on it.
 *
 * <p>To one server (standalone or the master Sentinel names), a slice is written to the connection's channel as
 * one message, which Lettuce's command handler puts on its stack and encodes into one buffer: one hand-over to
 * the event loop per slice. Lettuce's own dispatch hands each command over as a task of its own, with a
 * promise and a listener, and encodes it into a buffer of its own; in a rebuild that was most of the event
 * loop's work and a third of the writer's. A Cluster connection dispatches each command through Lettuce,
 * which routes it to its slot's master and follows MOVED and ASK.
 *
 * @param channel the server's channel, or null to dispatch through Lettuce
 */
record WriteConnection(StatefulConnection<byte[], byte[]> connection, Channel channel) {

    /** Whether Lettuce routes the commands by their key (a Cluster's), which then need their argument list. */
    boolean routed() {
        return channel == null;
    }

    boolean isOpen() {
        return connection.isOpen() && (channel == null || channel.isActive());
    }

    /** Sends the slice and flushes it. A command the channel refuses before encoding fails unsent. */
    void send(List<BatchCommand> slice) {
        if (channel == null) {
            connection.dispatch(slice);
            connection.flushCommands();
            return;
        }
        channel.writeAndFlush(slice).addListener(written -> {
            if (!written.isSuccess()) {
                slice.forEach(command -> command.failUnsent(written.cause()));
            }
        });
    }

    /** Flushes what Lettuce holds back (a Cluster command redirected waits for it). */
    void flush() {
        connection.flushCommands();
    }
}
