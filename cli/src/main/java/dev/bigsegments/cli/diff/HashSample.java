package dev.bigsegments.cli.diff;

import dev.bigsegments.schemas.ContextHashes;

/**
 * A deterministic subset of context hashes: those whose first four digest bytes, read as an unsigned
 * number, fall below {@code rate * 2^32}. Both sides of a comparison pick the same contexts, and a
 * context is either checked in all its segments or in none.
 */
public record HashSample(double rate) {
    private static final double SPACE = 4294967296.0;

    public HashSample {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("sample rate must be in (0, 1], not " + rate);
        }
    }

    public static HashSample all() {
        return new HashSample(1.0);
    }

    public boolean includes(byte[] digest) {
        if (rate >= 1) {
            return true;
        }
        long prefix = ((digest[0] & 0xffL) << 24) | ((digest[1] & 0xffL) << 16) | ((digest[2] & 0xffL) << 8)
                | (digest[3] & 0xffL);
        return prefix < rate * SPACE;
    }

    public boolean includes(String contextHash) {
        return rate >= 1 || includes(ContextHashes.decode(contextHash));
    }
}
