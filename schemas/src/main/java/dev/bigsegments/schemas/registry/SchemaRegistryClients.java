package dev.bigsegments.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the registry client for a URL: {@code mock://<scope>} in-process, else the REST client. One REST
 * client per configuration is shared by every serde of the JVM, so a schema registered or fetched once (at
 * a service's start, say) needs no request later, whichever serde asks.
 */
public final class SchemaRegistryClients {
    private static final String MOCK = "mock://";
    private static final Map<RegistryConfig, SchemaRegistryClient> REST = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    /** The registries of this JVM that are failing to answer right now, with since when and why. */
    public static List<String> outages() {
        List<String> outages = new ArrayList<>();
        REST.forEach((config, client) -> ((ConfluentRestSchemaRegistryClient) client).outage().ifPresent(o ->
                outages.add("schema registry " + config.url() + " unreachable since " + o.since() + ": "
                        + o.lastError())));
        return outages;
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
        return REST.computeIfAbsent(config, ConfluentRestSchemaRegistryClient::new);
    }
}
