package dev.bigsegments.ingest.synced;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A request body read up to a limit, with its SHA-256 (the identity of a retried request). */
public record BoundedBody(byte[] bytes, String sha256) {
    private static final int BUFFER = 64 * 1024;

    /** Thrown past the limit; nothing more is read. */
    public static final class TooLarge extends Exception {
        public TooLarge(long limit) {
            super("the body exceeds the limit of " + limit + " bytes");
        }
    }

    public static BoundedBody read(InputStream in, long limit) throws IOException, TooLarge {
        MessageDigest sha = newDigest();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        if (in != null) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > limit) {
                    throw new TooLarge(limit);
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return new BoundedBody(out.toByteArray(), HexFormat.of().formatHex(sha.digest()));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
