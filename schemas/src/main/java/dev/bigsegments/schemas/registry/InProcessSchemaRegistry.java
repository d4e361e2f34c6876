package dev.bigsegments.schemas.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * A registry living in this JVM, for {@code mock://<scope>} URLs: single-process deployments and tests.
 * One instance per scope, so every serde in the JVM configured with the same scope sees the same ids,
 * as they would with a shared registry server; {@code RegistryEndpoint} serves a scope over the Confluent
 * REST protocol to clients outside the JVM. An id is derived from the schema's parsing fingerprint,
 * so separate processes using the same scope (the services of the crash tests, say) agree on ids without
 * talking to each other, provided each knows the schema: deserializers make their reader schema known
 * ({@link #know}). Schemas are identified by their JSON as Avro writes it (so whitespace and attribute order
 * do not matter, docs and defaults do, as in a registry server); an identical schema gets the same id under
 * every subject.
 * Each subject keeps its versions in order and checks a new one against its compatibility level
 * ({@link Compatibility#DEFAULT} unless configured).
 */
public final class InProcessSchemaRegistry implements SchemaRegistryClient {
    private static final ConcurrentMap<String, InProcessSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new TreeMap<>();
    private final Map<String, Compatibility> compatibilityBySubject = new HashMap<>();
    private Compatibility compatibility = Compatibility.DEFAULT;

    /** One version of a subject: its number (from 1), the schema's global id and the schema. */
    public record SubjectVersion(String subject, int version, int id, Schema schema) {
    }

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

    /**
     * Adds {@code schema} as the subject's next version unless it is one already.
     *
     * @throws SchemaRegistryException 409 when it breaks the subject's compatibility level
     */
    @Override
    public synchronized int register(String subject, Schema schema) {
        int id = idOf(schema);
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions != null && versions.contains(id)) {
            return id;
        }
        Compatibility level = compatibility(subject);
        List<String> problems = level.problems(schema, history(subject));
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                            + "\", details: " + problems + " (compatibility " + level + ")");
        }
        know(schema);
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    /**
     * Makes a schema resolvable by id without registering it under a subject; returns its id. The schema also
     * answers to the id earlier versions of this registry gave it (its parsing fingerprint), so records they
     * wrote, which the compacted topics keep for ever, still read.
     */
    public synchronized int know(Schema schema) {
        int id = idOf(schema);
        // Stored as parsed from its JSON, as a registry server would hand it back.
        Schema parsed = new Schema.Parser().parse(schema.toString());
        schemasById.putIfAbsent(id, parsed);
        schemasById.putIfAbsent(legacyIdOf(schema), parsed);
        return id;
    }

    /** The id of versions that derived ids from the parsing fingerprint (docs and defaults left out). */
    static int legacyIdOf(Schema schema) {
        return (int) (SchemaNormalization.parsingFingerprint64(schema) & 0x7fffffff);
    }

    /** A fingerprint of the whole schema, docs and defaults included: a registry tells such schemas apart. */
    private int idOf(Schema schema) {
        String json = schema.toString();
        int id = (int) (SchemaNormalization.fingerprint64(json.getBytes(StandardCharsets.UTF_8)) & 0x7fffffff);
        Schema existing = schemasById.get(id);
        if (existing != null && !existing.toString().equals(json)) {
            throw new IllegalStateException("fingerprint collision in mock://" + scope + " for " + schema.getFullName());
        }
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        return lookupVersion(subject, schema).id();
    }

    /** The version of {@code subject} that is {@code schema}. */
    public synchronized SubjectVersion lookupVersion(String subject, Schema schema) {
        List<Integer> versions = versionsOf(subject);
        int id = idOf(schema);
        int index = versions.indexOf(id);
        if (index < 0) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found");
        }
        return new SubjectVersion(subject, index + 1, id, schemasById.get(id));
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    /** Every subject with at least one version, in order. */
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    /** The version numbers of {@code subject}, from 1. */
    public synchronized List<Integer> versions(String subject) {
        int count = versionsOf(subject).size();
        List<Integer> numbers = new ArrayList<>(count);
        for (int v = 1; v <= count; v++) {
            numbers.add(v);
        }
        return numbers;
    }

    /** Version {@code version} of {@code subject}, or its latest when {@code version} is empty. */
    public synchronized SubjectVersion version(String subject, Optional<Integer> version) {
        List<Integer> versions = versionsOf(subject);
        int number = version.orElse(versions.size());
        if (number < 1 || number > versions.size()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + number + " not found.");
        }
        int id = versions.get(number - 1);
        return new SubjectVersion(subject, number, id, schemasById.get(id));
    }

    /** The subjects and versions that are schema {@code id}. */
    public synchronized List<SubjectVersion> versionsOf(int id) {
        Schema schema = getById(id);
        List<SubjectVersion> found = new ArrayList<>();
        versionsBySubject.forEach((subject, ids) -> {
            for (int i = 0; i < ids.size(); i++) {
                if (ids.get(i) == id) {
                    found.add(new SubjectVersion(subject, i + 1, id, schema));
                }
            }
        });
        return found;
    }

    /**
     * What keeps {@code schema} from being registered under {@code subject}: checked against the given
     * version alone, or, for the latest (empty), as registering would check it. Empty when compatible, and
     * for the latest of a subject that has no versions yet.
     */
    public synchronized List<String> problems(String subject, Optional<Integer> version, Schema schema) {
        if (version.isEmpty()) {
            return versionsBySubject.containsKey(subject) ? compatibility(subject).problems(schema, history(subject)) : List.of();
        }
        SubjectVersion against = version(subject, version);
        return compatibility(subject).problems(schema, new TreeMap<>(Map.of(against.version(), against.schema())));
    }

    /** The level that applies to {@code subject}: its own, else the registry's. */
    public synchronized Compatibility compatibility(String subject) {
        return compatibilityBySubject.getOrDefault(subject, compatibility);
    }

    /** The registry's level, for subjects without one of their own. */
    public synchronized Compatibility compatibility() {
        return compatibility;
    }

    /** The subject's own level, if it has one. */
    public synchronized Optional<Compatibility> subjectCompatibility(String subject) {
        return Optional.ofNullable(compatibilityBySubject.get(subject));
    }

    public synchronized void setCompatibility(Compatibility level) {
        this.compatibility = level;
    }

    public synchronized void setCompatibility(String subject, Compatibility level) {
        compatibilityBySubject.put(subject, level);
    }

    private List<Integer> versionsOf(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private SortedMap<Integer, Schema> history(String subject) {
        SortedMap<Integer, Schema> history = new TreeMap<>();
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        for (int i = 0; i < versions.size(); i++) {
            history.put(i + 1, schemasById.get(versions.get(i)));
        }
        return history;
    }

    @Override
    public String toString() {
        return "InProcessSchemaRegistry[mock://" + scope + "]";
    }
}
