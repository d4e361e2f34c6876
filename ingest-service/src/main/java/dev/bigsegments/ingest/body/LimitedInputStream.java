package dev.bigsegments.ingest.body;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts a request body as it is read and fails the read once it is past its {@link BodyLimit}. */
public final class LimitedInputStream extends FilterInputStream {
    private final BodyLimit limit;
    private long total;

    /** Thrown past the limit; nothing more is read. An IOException, so parsers pass it through unwrapped. */
    public static final class TooLarge extends IOException {
        private final transient BodyLimit limit;

        TooLarge(BodyLimit limit) {
            super(limit.message());
            this.limit = limit;
        }

        public BodyLimit limit() {
            return limit;
        }
    }

    LimitedInputStream(InputStream in, BodyLimit limit) {
        super(in == null ? InputStream.nullInputStream() : in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) throws TooLarge {
        total += n;
        if (total > limit.bytes()) {
            throw new TooLarge(limit);
        }
    }
}
