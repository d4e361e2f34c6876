package dev.bigsegments.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * A registry living in this JVM, for {@code mock://<scope>} URLs: single-process deployments and tests.
 * One instance per scope, so every serde in the JVM configured with the same scope sees the same ids,
 * as they would with a shared registry server. An id is derived from the schema's parsing fingerprint,
 * so separate processes using the same scope (the services of the crash tests, say) agree on ids without
 * talking to each other, provided each knows the schema: deserializers make their reader schema known
 * ({@link #know}). An identical schema gets the same id under every subject. No compatibility checks
 * are made; for several processes in production use a real registry.
 */
public final class InProcessSchemaRegistry implements SchemaRegistryClient {
    private static final ConcurrentMap<String, InProcessSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final Map<String, Integer> idsByJson = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Set<Integer>> idsBySubject = new HashMap<>();

    private InProcessSchemaRegistry(String scope) {
        this.scope = scope;
    }

    /** The registry of {@code scope}, created on first use. */
    public static InProcessSchemaRegistry scope(String scope) {
        return SCOPES.computeIfAbsent(scope, InProcessSchemaRegistry::new);
    }

    /** Forgets {@code scope}; clients already holding it keep the old instance. For tests. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        String json = schema.toString();
        Integer id = idsByJson.get(json);
        if (id == null) {
            id = know(schema);
        }
        idsBySubject.computeIfAbsent(subject, s -> new HashSet<>()).add(id);
        return id;
    }

    /** Makes a schema resolvable by id without registering it under a subject; returns its id. */
    public synchronized int know(Schema schema) {
        String json = schema.toString();
        Integer known = idsByJson.get(json);
        if (known != null) {
            return known;
        }
        int id = (int) (SchemaNormalization.parsingFingerprint64(schema) & 0x7fffffff);
        Schema existing = schemasById.get(id);
        if (existing != null && !SchemaNormalization.toParsingForm(existing).equals(SchemaNormalization.toParsingForm(schema))) {
            throw new IllegalStateException("fingerprint collision in mock://" + scope + " for " + schema.getFullName());
        }
        // Stored as parsed from its JSON, as a registry server would hand it back.
        schemasById.putIfAbsent(id, new Schema.Parser().parse(json));
        idsByJson.put(json, id);
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        Set<Integer> ids = idsBySubject.get(subject);
        if (ids == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found in mock://" + scope);
        }
        Integer id = idsByJson.get(schema.toString());
        if (id == null || !ids.contains(id)) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema " + schema.getFullName() + " not registered under subject '" + subject + "' in mock://" + scope);
        }
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema id " + id + " not found in mock://" + scope);
        }
        return schema;
    }

    @Override
    public String toString() {
        return "InProcessSchemaRegistry[mock://" + scope + "]";
    }
}
