package dev.bigsegments.cli.deadletters;

import dev.bigsegments.cli.ExitCodes;
import dev.bigsegments.cli.KafkaOptions;
import dev.bigsegments.schemas.DeadLetters;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "redrive", mixinStandardHelpOptions = true,
        description = {"Produces the selected dead letters again, unchanged (key, value, original headers), to the topic "
                + "each came from, once the cause is fixed: a registry that now knows the schema, an environment now "
                + "configured, a producer bug fixed upstream. Commands re-driven are applied after the commands that "
                + "followed them; a command id already applied is dropped as a duplicate.",
                "Records from the membership topic are refused unless --allow-membership: the topic holds each "
                + "context's current state, and an old record produced again would replace a newer one. Prefer "
                + "'bigsegments repair' for the store."})
public final class DeadLettersRedriveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    DeadLetterSelection selection;

    @Option(names = "--dry-run", description = "Print what would be produced, produce nothing.")
    boolean dryRun;

    @Option(names = "--allow-membership", description = "Also re-drive records that came from the membership topic.")
    boolean allowMembership;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ConsumerRecord<byte[], byte[]>> letters = selection.read(kafka);
        String membership = kafka.topics().membership();
        if (!allowMembership && letters.stream().anyMatch(r -> membership.equals(source(r)))) {
            err.println("refused: the selection holds records from " + membership + "; narrow it with --source-topic or"
                    + " pass --allow-membership");
            err.flush();
            return ExitCodes.FAILED;
        }
        Map<String, Integer> counts = new TreeMap<>();
        letters.forEach(r -> counts.merge(source(r), 1, Integer::sum));
        if (!dryRun) {
            produce(letters);
        }
        counts.forEach((topic, n) -> out.println((dryRun ? "would re-drive " : "re-drove ") + n + " record(s) to "
                + topic));
        out.println("dead letters selected: " + letters.size());
        out.flush();
        return ExitCodes.OK;
    }

    private void produce(List<ConsumerRecord<byte[], byte[]>> letters) throws InterruptedException {
        Map<String, Object> config = new HashMap<>(kafka.kafkaConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> r : letters) {
                producer.send(new ProducerRecord<>(source(r), null, r.key(), r.value(), original(r))).get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot produce: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static String source(ConsumerRecord<byte[], byte[]> r) {
        return DeadLetters.header(r.headers(), DeadLetters.TOPIC);
    }

    /** The headers the record had before it was set aside. */
    private static RecordHeaders original(ConsumerRecord<byte[], byte[]> r) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            if (!DeadLetters.isDeadLetterHeader(h.key())) {
                headers.add(h);
            }
        }
        return headers;
    }
}
