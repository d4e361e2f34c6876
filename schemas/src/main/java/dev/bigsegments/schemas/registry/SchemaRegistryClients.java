package dev.bigsegments.schemas.registry;

/** Picks the registry client for a URL: {@code mock://<scope>} in-process, else the REST client. */
public final class SchemaRegistryClients {
    private static final String MOCK = "mock://";

    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient create(RegistryConfig config) {
        String url = config.url().trim();
        if (url.startsWith(MOCK)) {
            return InProcessSchemaRegistry.scope(url.substring(MOCK.length()));
        }
        for (String each : url.split(",")) {
            String u = each.trim();
            if (!u.isEmpty() && !u.startsWith("http://") && !u.startsWith("https://")) {
                throw new IllegalArgumentException("Schema registry URL must be http://, https:// or mock://<scope>: " + u);
            }
        }
        return new ConfluentRestSchemaRegistryClient(config);
    }
}
