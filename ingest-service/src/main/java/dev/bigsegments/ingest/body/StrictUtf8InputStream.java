package dev.bigsegments.ingest.body;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks that a body is UTF-8 (strictly, by the JDK's decoder) as it is read, and fails the read at the
 * first byte that is not. The JSON parser reads bytes and does not check every one of them (not in
 * field names, for one), and a JSON body must be UTF-8 (RFC 8259).
 */
final class StrictUtf8InputStream extends FilterInputStream {
    private static final int MAX_SEQUENCE = 4;

    /** Thrown at the first byte that is not UTF-8. */
    static final class Malformed extends IOException {
        Malformed(long offset) {
            super("the body is not valid UTF-8 (byte " + offset + ")");
        }
    }

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer decoded = CharBuffer.allocate(4096);
    /** The start of a sequence that the last read cut in two. */
    private final ByteBuffer carried = ByteBuffer.allocate(MAX_SEQUENCE);
    /** Body bytes checked before the carried ones. */
    private long checked;

    StrictUtf8InputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            finish();
        } else if (n > 0) {
            check(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] skipped = new byte[(int) Math.min(n, 8192)];
        int read = read(skipped, 0, skipped.length);
        return Math.max(0, read);
    }

    private void check(byte[] buffer, int offset, int n) throws Malformed {
        ByteBuffer input;
        if (carried.position() == 0) {
            input = ByteBuffer.wrap(buffer, offset, n);
        } else {
            carried.flip();
            input = ByteBuffer.allocate(carried.remaining() + n).put(carried).put(buffer, offset, n).flip();
        }
        int start = input.position();
        decode(input, false, start);
        checked += input.position() - start;
        carried.clear().put(input);
    }

    private void finish() throws Malformed {
        carried.flip();
        decode(carried, true, carried.position());
        carried.clear();
    }

    private void decode(ByteBuffer input, boolean end, int start) throws Malformed {
        CoderResult result;
        do {
            decoded.clear();
            result = decoder.decode(input, decoded, end);
            if (result.isError()) {
                throw new Malformed(checked + input.position() - start);
            }
        } while (result.isOverflow());
    }
}
