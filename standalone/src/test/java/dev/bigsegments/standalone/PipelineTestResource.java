package dev.bigsegments.standalone;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** Boots the standalone application's services against the shared real broker and Redis. */
public class PipelineTestResource implements QuarkusTestResourceLifecycleManager {
    static final String TOKEN = "test-token";
    static final String OTHER_TOKEN = "other-token";
    static final String PROJECT = "proj";
    static final String ENV_KEY = "test";
    static final String ENV_ID = "env-e2e";
    static final String PREFIX = "e2e";
    static final String SYNCED_LIMITED_TOKEN = "synced-limited-token";
    static final long SYNCED_MAX_BODY_BYTES = 1_048_576;
    static final String SYNCED_MAPPED_COHORT = "mapped-audience";
    static final String SYNCED_MAPPED_SEGMENT = "synced-mapped-target";
    /** A token whose synced requests are not rate limited: the fuzz test sends many in a burst. */
    static final String UNLIMITED_TOKEN = "unlimited-token";
    static final long CSV_MAX_FILE_BYTES = 16L * 1024 * 1024;
    static final int JSON_MAX_STRING_LENGTH = 65_536;

    @Override
    public Map<String, String> start() {
        Map<String, String> c = new HashMap<>();
        c.put("bigsegments.kafka.bootstrap-servers", SharedServices.kafka().bootstrapServers());
        c.put("bigsegments.writer.redis.uri", SharedServices.redis().uri());
        try {
            c.put("bigsegments.processor.state-dir", Files.createTempDirectory("e2e-processor").toString());
            c.put("bigsegments.ingest.import-directory", Files.createTempDirectory("e2e-imports").toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        c.put("bigsegments.registry.url", "mock://e2e");
        c.put("bigsegments.writer.stamp-interval", "500ms");
        c.put("bigsegments.environments.e2e.id", ENV_ID);
        c.put("bigsegments.environments.e2e.project-key", PROJECT);
        c.put("bigsegments.environments.e2e.environment-key", ENV_KEY);
        c.put("bigsegments.environments.e2e.store-prefix", PREFIX);
        c.put("bigsegments.environments.other.id", "env-other");
        c.put("bigsegments.environments.other.project-key", PROJECT);
        c.put("bigsegments.environments.other.environment-key", "other");
        // Its own prefix: two environments on one Redis prefix are refused at start (the standalone run's demo
        // environment keeps the default one).
        c.put("bigsegments.environments.other.store-prefix", "other");
        c.put("bigsegments.ingest.tokens.test.secret", TOKEN);
        c.put("bigsegments.ingest.tokens.test.environments", "e2e");
        c.put("bigsegments.ingest.tokens.other.secret", OTHER_TOKEN);
        c.put("bigsegments.ingest.tokens.other.environments", "other");
        c.put("bigsegments.ingest.tokens.standalone.secret", "unused-standalone-token");
        c.put("bigsegments.ingest.tokens.synced-limited.secret", SYNCED_LIMITED_TOKEN);
        c.put("bigsegments.ingest.tokens.synced-limited.environments", "e2e");
        c.put("bigsegments.ingest.synced.token-rates.synced-limited", "0.2");
        c.put("bigsegments.ingest.synced.max-body-bytes", Long.toString(SYNCED_MAX_BODY_BYTES));
        c.put("bigsegments.ingest.tokens.unlimited.secret", UNLIMITED_TOKEN);
        c.put("bigsegments.ingest.tokens.unlimited.environments", "e2e");
        c.put("bigsegments.ingest.synced.token-rates.unlimited", "0");
        c.put("bigsegments.ingest.csv.max-file-bytes", Long.toString(CSV_MAX_FILE_BYTES));
        c.put("bigsegments.ingest.json.max-string-length", Integer.toString(JSON_MAX_STRING_LENGTH));
        c.put("bigsegments.ingest.synced.mappings.\"hightouch/" + SYNCED_MAPPED_COHORT + "\"", SYNCED_MAPPED_SEGMENT);
        return c;
    }

    @Override
    public void stop() {
        // the shared services outlive each test class and stop with the JVM
    }
}
