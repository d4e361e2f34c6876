package dev.bigsegments.ingest.http;

import java.util.regex.Pattern;

/**
 * What a request path is, for the checks made before its body is read. Every path outside {@code /q/}
 * needs a token, so a path spelt in an unexpected way never skips the check.
 */
enum Endpoint {
    /** Health and metrics: no token. */
    OPEN,
    /** The status page and its scripts ({@code /}, {@code /ui/*}): no token; the page asks for one. */
    PAGE,
    /** The REST API: a token; JSON bodies. */
    API,
    /** CSV uploads ({@code POST .../{segmentKey}/imports}): a token; multipart bodies up to the CSV limit. */
    IMPORT,
    /** Tool webhooks ({@code POST /api/v2/segment-targets/{integrationKey}}): a bad token is a 403, as tools expect. */
    SYNCED;

    private static final String OPEN_PREFIX = "/q/";
    private static final String PAGE_INDEX = "/index.html";
    private static final String PAGE_PREFIX = "/ui/";
    private static final Pattern IMPORTS = Pattern.compile("/api/v2/segments/[^/]+/[^/]+/[^/]+/imports/?");
    private static final Pattern SYNCED_PATH = Pattern.compile("/api/v2/segment-targets/([^/]+)/?");

    static Endpoint of(String normalizedPath) {
        if (normalizedPath == null) {
            return API;
        }
        String path = normalizedPath;
        if (path.startsWith(OPEN_PREFIX)) {
            return OPEN;
        }
        if (path.equals("/") || path.equals(PAGE_INDEX) || path.startsWith(PAGE_PREFIX)) {
            return PAGE;
        }
        if (IMPORTS.matcher(path).matches()) {
            return IMPORT;
        }
        return SYNCED_PATH.matcher(path).matches() ? SYNCED : API;
    }

    /** The integration key of a synced path; null for any other path. */
    static String integrationKey(String normalizedPath) {
        var m = SYNCED_PATH.matcher(normalizedPath == null ? "" : normalizedPath);
        return m.matches() ? m.group(1) : null;
    }

    boolean needsToken() {
        return this != OPEN && this != PAGE;
    }
}
