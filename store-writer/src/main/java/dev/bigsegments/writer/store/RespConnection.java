package dev.bigsegments.writer.store;

import io.lettuce.core.SslVerifyMode;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One RESP2 connection, made for pipelining many small commands: commands are encoded straight into a
 * byte buffer that goes out in large writes, and replies are parsed from a buffered stream without
 * allocating anything for a successful one. A general client spends far more per command (a command
 * object, a future, an encoder pass on an I/O thread), which is what limits a bulk load.
 *
 * <p>Connecting sends AUTH (when the URI has a password) and SELECT (only for a database other than 0),
 * nothing else: no HELLO, no CLIENT SETNAME or SETINFO, which an ACL-limited writer may not run.
 *
 * <p>Reads time out through the socket timeout, writes through a watchdog that closes the socket. Not
 * thread-safe. After any {@link IOException} the stream position is unknown: the connection must be closed.
 */
final class RespConnection implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int MAX_LINE = 64 * 1024;
    private static final byte[] AUTH = ascii("AUTH");
    private static final byte[] SELECT = ascii("SELECT");
    private static final byte[] PING = ascii("PING");
    private static final ScheduledThreadPoolExecutor WRITE_WATCHDOG = watchdog();

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final long timeoutNanos;
    private final byte[] readBuffer = new byte[BUFFER_BYTES];
    private byte[] writeBuffer = new byte[BUFFER_BYTES];
    private int writePos;
    private int readPos;
    private int readLimit;
    private volatile boolean writeTimedOut;

    private RespConnection(Socket socket, long timeoutNanos) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Connects, authenticates and selects the database.
     *
     * @throws IOException if the server cannot be reached or the connection breaks
     * @throws StoreWriteException if the server refuses AUTH or SELECT (a wrong password is permanent)
     */
    static RespConnection open(RedisEndpoint endpoint) throws IOException {
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, endpoint.timeout().toMillis()));
        Socket plain = new Socket();
        RespConnection connection = null;
        try {
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            Socket socket = endpoint.tls() ? tls(plain, endpoint) : plain;
            connection = new RespConnection(socket, endpoint.timeout().toNanos());
            connection.handshake(endpoint);
            return connection;
        } catch (IOException | RuntimeException e) {
            if (connection != null) {
                connection.close();
            } else {
                plain.close();
            }
            throw e;
        }
    }

    private static Socket tls(Socket plain, RedisEndpoint endpoint) throws IOException {
        SSLSocket socket = (SSLSocket) sslContext(endpoint.verifyMode()).getSocketFactory()
                .createSocket(plain, endpoint.host(), endpoint.port(), true);
        if (endpoint.verifyMode() == SslVerifyMode.FULL) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
        }
        socket.startHandshake();
        return socket;
    }

    /**
     * The JVM's default trust (its cacerts, or {@code javax.net.ssl.trustStore}); with verification
     * switched off in the URI ({@code verifyPeer=NONE}), any certificate, as the URI asked.
     */
    private static SSLContext sslContext(SslVerifyMode mode) throws IOException {
        try {
            if (mode != SslVerifyMode.NONE) {
                return SSLContext.getDefault();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyCertificate()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private void handshake(RedisEndpoint endpoint) throws IOException {
        int commands = 0;
        if (endpoint.password() != null) {
            boolean user = endpoint.username() != null && !endpoint.username().isEmpty();
            command(user ? 3 : 2);
            arg(AUTH);
            if (user) {
                arg(endpoint.username());
            }
            arg(new String(endpoint.password()));
            commands++;
        }
        if (endpoint.database() != 0) {
            command(2);
            arg(SELECT);
            arg(Integer.toString(endpoint.database()));
            commands++;
        }
        flush();
        StoreWriteException failure = null;
        for (int i = 0; i < commands; i++) {
            String error = reply(Reply.STATUS);
            if (error != null && failure == null) {
                failure = RedisFailures.reply("connecting to " + endpoint.describe(), error);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Sends PING and reads its answer; false when the server answered with an error. */
    boolean ping() throws IOException {
        command(1);
        arg(PING);
        flush();
        return reply(Reply.STATUS) == null;
    }

    // ---- encoding ----

    /** Starts a command of {@code args} arguments, the command name included. */
    void command(int args) {
        ensure(24);
        writeBuffer[writePos++] = '*';
        decimal(args);
        crlf();
    }

    void arg(byte[] bytes) {
        header(bytes.length);
        ensure(bytes.length + 2);
        System.arraycopy(bytes, 0, writeBuffer, writePos, bytes.length);
        writePos += bytes.length;
        crlf();
    }

    void arg(String value) {
        int start = writePos;
        header(value.length());
        ensure(value.length() + 2);
        if (!writeAscii(value)) {
            writePos = start;
            arg(value.getBytes(StandardCharsets.UTF_8));
            return;
        }
        crlf();
    }

    /** One argument made of {@code head} followed by {@code tail}: a key prefix and a context hash. */
    void arg(byte[] head, String tail) {
        int start = writePos;
        header(head.length + tail.length());
        ensure(head.length + tail.length() + 2);
        System.arraycopy(head, 0, writeBuffer, writePos, head.length);
        writePos += head.length;
        if (!writeAscii(tail)) {
            writePos = start;
            byte[] tailBytes = tail.getBytes(StandardCharsets.UTF_8);
            byte[] whole = Arrays.copyOf(head, head.length + tailBytes.length);
            System.arraycopy(tailBytes, 0, whole, head.length, tailBytes.length);
            arg(whole);
            return;
        }
        crlf();
    }

    /** Whether enough is encoded for one large write. */
    boolean full() {
        return writePos >= BUFFER_BYTES;
    }

    /** Writes what was encoded; fails if the server does not take it within the timeout. */
    void flush() throws IOException {
        if (writePos == 0) {
            return;
        }
        ScheduledFuture<?> abort = WRITE_WATCHDOG.schedule(this::abortWrite, timeoutNanos, TimeUnit.NANOSECONDS);
        try {
            out.write(writeBuffer, 0, writePos);
            out.flush();
        } catch (IOException e) {
            if (writeTimedOut) {
                throw new SocketTimeoutException("the server took no data for " + timeoutNanos / 1_000_000 + " ms");
            }
            throw e;
        } finally {
            abort.cancel(false);
        }
        writePos = 0;
        if (writeBuffer.length > BUFFER_BYTES * 16) {
            writeBuffer = new byte[BUFFER_BYTES];
        }
    }

    private void abortWrite() {
        writeTimedOut = true;
        close();
    }

    private void header(int length) {
        ensure(24);
        writeBuffer[writePos++] = '$';
        decimal(length);
        crlf();
    }

    /** Grows the buffer when needed: encoding never does I/O, {@link #flush()} and the caller decide when. */
    private void ensure(int bytes) {
        if (writePos + bytes > writeBuffer.length) {
            writeBuffer = Arrays.copyOf(writeBuffer, Math.max(writeBuffer.length * 2, writePos + bytes));
        }
    }

    private void decimal(long value) {
        if (value < 10) {
            writeBuffer[writePos++] = (byte) ('0' + value);
            return;
        }
        int start = writePos;
        for (long v = value; v > 0; v /= 10) {
            writeBuffer[writePos++] = (byte) ('0' + v % 10);
        }
        for (int i = start, j = writePos - 1; i < j; i++, j--) {
            byte b = writeBuffer[i];
            writeBuffer[i] = writeBuffer[j];
            writeBuffer[j] = b;
        }
    }

    private void crlf() {
        writeBuffer[writePos++] = '\r';
        writeBuffer[writePos++] = '\n';
    }

    /**
     * Copies the string byte for byte while it is ASCII, in one pass (arguments are almost always ASCII:
     * base64 hashes, prefixes, refs). Returns false at the first other character; the caller then rewinds
     * and encodes the argument as UTF-8, whose length differs from the string's.
     */
    private boolean writeAscii(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            writeBuffer[writePos++] = (byte) c;
        }
        return true;
    }

    // ---- replies ----

    /** The reply a command is expected to give. */
    enum Reply {
        /** {@code :n}, as SADD, SREM and DEL answer. */
        INTEGER(':'),
        /** {@code +OK} and the like, as SET, AUTH, SELECT and PING answer. */
        STATUS('+');

        private final byte type;

        Reply(char type) {
            this.type = (byte) type;
        }
    }

    /**
     * Reads one whole reply.
     *
     * @return null when it is of the expected kind; otherwise the error reply's text (such as
     *     {@code WRONGTYPE Operation against a key holding the wrong kind of value}), or what came instead
     * @throws IOException if the connection broke, timed out or did not speak RESP
     */
    String reply(Reply expected) throws IOException {
        int type = readByte();
        if (type == expected.type) {
            skipLine();
            return null;
        }
        return unexpected(type);
    }

    /**
     * Reads one bulk string reply, as GET answers.
     *
     * @param what the command and key, for the error message
     * @return the value, or null for a nil reply (no such key)
     * @throws StoreWriteException for an error reply (WRONGTYPE, NOPERM, ...) or another kind of reply
     */
    String bulk(String what) throws IOException {
        int type = readByte();
        if (type != '$') {
            throw RedisFailures.reply(what, unexpected(type));
        }
        long length = parseLength();
        if (length < 0) {
            return null;
        }
        if (length > MAX_LINE) {
            skip(length);
            skipLine();
            throw RedisFailures.reply(what, "unexpected value of " + length + " bytes");
        }
        byte[] value = new byte[(int) length];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) readByte();
        }
        skipLine();
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Whether a reply has (at least partly) arrived, so reading it will not wait for the server. */
    boolean replyArrived() throws IOException {
        return readPos < readLimit || in.available() > 0;
    }

    private String unexpected(int type) throws IOException {
        switch (type) {
            case '-':
                return readLine();
            case '+':
            case ':':
                return "unexpected reply " + (char) type + readLine();
            case '$': {
                long length = parseLength();
                if (length > 0) {
                    skip(length);
                }
                if (length >= 0) {
                    skipLine();
                }
                return "unexpected bulk reply";
            }
            case '*': {
                long count = parseLength();
                for (long i = 0; i < count; i++) {
                    unexpected(readByte());
                }
                return "unexpected array reply";
            }
            default:
                throw new IOException("the server's reply is not RESP (type byte " + type + ")");
        }
    }

    private long parseLength() throws IOException {
        String line = readLine();
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new IOException("the server's reply is not RESP (length " + line + ")");
        }
    }

    private int readByte() throws IOException {
        if (readPos == readLimit) {
            fill();
        }
        return readBuffer[readPos++];
    }

    private void fill() throws IOException {
        int n = in.read(readBuffer, 0, readBuffer.length);
        if (n < 0) {
            throw new EOFException("the server closed the connection");
        }
        readPos = 0;
        readLimit = n;
    }

    private void skipLine() throws IOException {
        while (true) {
            for (int i = readPos; i < readLimit; i++) {
                if (readBuffer[i] == '\n') {
                    readPos = i + 1;
                    return;
                }
            }
            readPos = readLimit;
            fill();
        }
    }

    private void skip(long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            if (readPos == readLimit) {
                fill();
            }
            int n = (int) Math.min(left, readLimit - readPos);
            readPos += n;
            left -= n;
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = readByte(); b != '\n'; b = readByte()) {
            if (b != '\r' && line.length() < MAX_LINE) {
                line.append((char) (b & 0xff));
            }
        }
        return line.toString();
    }

    /** Closes the socket; safe from any thread and more than once, and unblocks a read or write in progress. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** A command name or other constant argument, encoded once. */
    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "redis-write-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** For {@code verifyPeer=NONE} only: the URI asked for encryption without verifying the server. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
