package dev.bigsegments.ingest.csv;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF, no stray continuation bytes, no truncated sequences. A key that fails would hash to bytes
 * no SDK ever produces for a Java/Go/JS string, so it could never match anyone.
 */
final class Utf8 {
    private Utf8() {
    }

    static boolean isValid(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int size = sequenceSize(lead);
            if (size == 0 || end - i < size || !validTail(bytes, i, size)) {
                return false;
            }
            i += size;
        }
        return true;
    }

    /** Bytes in the sequence a lead byte starts, or 0 for bytes that may not lead (80-C1, F5-FF). */
    private static int sequenceSize(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        return lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
    }

    private static boolean validTail(byte[] bytes, int start, int size) {
        int lead = bytes[start] & 0xFF;
        int second = bytes[start + 1] & 0xFF;
        if (second < minSecond(lead) || second > maxSecond(lead)) {
            return false;
        }
        for (int k = 2; k < size; k++) {
            if ((bytes[start + k] & 0xC0) != 0x80) {
                return false;
            }
        }
        return true;
    }

    /** E0 and F0 need a higher second byte, else the sequence is an overlong form of a shorter one. */
    private static int minSecond(int lead) {
        return switch (lead) {
            case 0xE0 -> 0xA0;
            case 0xF0 -> 0x90;
            default -> 0x80;
        };
    }

    /** ED A0..BF would encode a UTF-16 surrogate; F4 90.. would be above U+10FFFF. */
    private static int maxSecond(int lead) {
        return switch (lead) {
            case 0xED -> 0x9F;
            case 0xF4 -> 0x8F;
            default -> 0xBF;
        };
    }
}
