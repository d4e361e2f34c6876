package dev.bigsegments.ingest.auth;

import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.errors.Forbidden;
import dev.bigsegments.ingest.errors.Unauthorized;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * Checks the {@code Authorization} header (the raw token, or {@code Bearer <token>}): {@link Unauthorized}
 * without a known token, {@link Forbidden} when the token is not allowed the environment.
 */
@ApplicationScoped
public class TokenAuthorizer {
    /** The environment name checked for when a request names no environment that exists. */
    public static final String UNKNOWN_ENVIRONMENT = "*unknown*";
    private static final String BEARER = "bearer ";
    private static final String BASIC = "basic ";

    @Inject
    IngestConfig config;

    /**
     * @param environmentName the key of the environment under bigsegments.environments
     * @return the token's name (its key under bigsegments.ingest.tokens)
     */
    public String authorize(String header, String environmentName) {
        var named = find(header);
        IngestConfig.Token token = named.getValue();
        if (!token.environments().contains("*") && !token.environments().contains(environmentName)) {
            throw new Forbidden("this token is not allowed environment " + environmentName);
        }
        return named.getKey();
    }

    /**
     * The environments (names under bigsegments.environments) the token may use, out of {@code known}: all of
     * them for a token allowed {@code *}.
     */
    public java.util.Set<String> allowedEnvironments(String header, java.util.Collection<String> known) {
        IngestConfig.Token token = find(header).getValue();
        java.util.Set<String> allowed = new java.util.TreeSet<>(known);
        if (!token.environments().contains("*")) {
            allowed.retainAll(token.environments());
        }
        return allowed;
    }

    /** Whether the token may use every environment ({@code *}). */
    public boolean allowsEveryEnvironment(String header) {
        return find(header).getValue().environments().contains("*");
    }

    /** Only that the token is known, before anything says which environment it is for; returns its name. */
    public String authenticate(String header) {
        return find(header).getKey();
    }

    /**
     * Whether an {@code Authorization} header carries a known token, raw, as {@code Bearer <token>}, or as the
     * password of {@code Basic} auth (any user name), the form registry clients send.
     */
    public boolean accepts(String header) {
        String credentials = header;
        if (header != null && header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            try {
                String userInfo = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
                        StandardCharsets.UTF_8);
                credentials = userInfo.substring(userInfo.indexOf(':') + 1);
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
        try {
            find(credentials);
            return true;
        } catch (Unauthorized unknown) {
            return false;
        }
    }

    private Map.Entry<String, IngestConfig.Token> find(String header) {
        if (header == null || header.isBlank()) {
            throw new Unauthorized("missing Authorization header");
        }
        String secret = header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : header.trim();
        byte[] given = secret.getBytes(StandardCharsets.UTF_8);
        for (var token : config.tokens().entrySet()) {
            if (MessageDigest.isEqual(given, token.getValue().secret().getBytes(StandardCharsets.UTF_8))) {
                return token;
            }
        }
        throw new Unauthorized("invalid token");
    }
}
