package dev.bigsegments.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Context key hashing as every big-segment reader expects it: base64(sha256(utf8(key))). */
public final class ContextHashes {
    public static final int DIGEST_BYTES = 32;

    private ContextHashes() {
    }

    /** The 32 raw SHA-256 bytes of the key's UTF-8 encoding; the form that travels on Kafka. */
    public static byte[] digest(String contextKey) {
        return newDigest().digest(contextKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The 32 raw SHA-256 bytes of an already UTF-8 encoded key. */
    public static byte[] digest(byte[] utf8Key, int offset, int length) {
        MessageDigest md = newDigest();
        md.update(utf8Key, offset, length);
        return md.digest();
    }

    /** The store form: standard base64 with padding, 44 characters. */
    public static String encode(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }

    public static byte[] decode(String storeHash) {
        return Base64.getDecoder().decode(storeHash);
    }

    /** Convenience: the store form of a raw context key. */
    public static String hash(String contextKey) {
        return encode(digest(contextKey));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
