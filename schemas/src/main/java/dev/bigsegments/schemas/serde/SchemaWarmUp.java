package dev.bigsegments.schemas.serde;

import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.schemas.registry.RegistryConfig;
import dev.bigsegments.schemas.registry.SchemaRegistryClient;
import dev.bigsegments.schemas.registry.SchemaRegistryClients;
import dev.bigsegments.schemas.registry.SchemaRegistryException;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a service's registry client know, before it handles a record, the schemas it writes and reads: their
 * ids are then cached (one client per registry configuration is shared by every serde of the JVM), so a
 * registry that stops answering later holds back only records written with a schema never seen before.
 * While the registry does not answer this waits, with backoff, for as long as it takes.
 */
public final class SchemaWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaWarmUp.class);

    private SchemaWarmUp() {
    }

    private static void know(SchemaRegistryClient client, RegistryConfig config, TopicSchema t) {
        String subject = WireFormat.subject(t.topic(), false);
        Schema schema = PortableSchemas.of(t.schema());
        if (t.use() == Use.WRITE && config.autoRegister()) {
            client.register(subject, schema);
            return;
        }
        try {
            client.lookup(subject, schema);
        } catch (SchemaRegistryException e) {
            boolean notThere = e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                    || e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND;
            if (e.unavailable() || !notThere || t.use() == Use.WRITE) {
                throw e;
            }
        }
    }

    /** What a service does with a topic's values. */
    public enum Use {
        /** It writes them: the schema is registered (or, without auto-registration, must be registered). */
        WRITE,
        /** It reads them: the schema is looked up if some writer registered it already, else nothing is done. */
        READ
    }

    /** A topic's value schema and what the service does with it. */
    public record TopicSchema(String topic, Schema schema, Use use) {
    }

    /**
     * @param keepTrying false once the service is stopping
     * @return false when it stopped trying before the registry answered
     */
    public static boolean await(Map<String, ?> serdeConfig, Iterable<TopicSchema> schemas, Backoff backoff,
            BooleanSupplier keepTrying) throws InterruptedException {
        RegistryConfig config = RegistryConfig.fromMap(serdeConfig);
        SchemaRegistryClient client = SchemaRegistryClients.create(config);
        for (int attempt = 1; keepTrying.getAsBoolean(); attempt++) {
            try {
                for (TopicSchema t : schemas) {
                    know(client, config, t);
                }
                return true;
            } catch (SchemaRegistryException e) {
                if (!e.unavailable()) {
                    throw e;
                }
                long delay = backoff.delay(attempt).toMillis();
                LOG.warn("schema registry {} does not answer ({}); trying again in {} ms", config.url(),
                        e.getMessage(), delay);
                Thread.sleep(delay);
            }
        }
        return false;
    }
}
