package dev.bigsegments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.schemas.TopicNames;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code topics create} and {@code topics check} against a real broker, read back with the Kafka admin client. */
class TopicsCommandTest {
    private static EmbeddedKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(null);
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void createMakesTheTopicsWithTheirSettingsAndAgainChangesNothing() throws Exception {
        TopicNames topics = MembershipTopicFixture.topics("create-test");
        CommandRun missing = run(topics, "check");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.DIFFERENCES);
        assertThat(missing.out()).contains("topic create-test.membership is missing").contains("6 problem(s)");

        CommandRun created = run(topics, "create", "--partitions", "3");

        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).containsPattern("create-test\\.commands +created +3 +1 +delete +604800000 +1")
                .containsPattern("create-test\\.membership +created +3 +1 +compact ")
                .containsPattern("create-test\\.dead-letter +created +3 +1 +delete +1209600000 +1")
                .contains("topics: 6 created, 0 found; settings verified");
        assertThat(setting(topics.membership(), "cleanup.policy")).isEqualTo("compact");
        assertThat(setting(topics.segments(), "cleanup.policy")).isEqualTo("compact");
        assertThat(setting(topics.imports(), "cleanup.policy")).isEqualTo("compact");
        assertThat(setting(topics.status(), "cleanup.policy")).isEqualTo("compact");
        assertThat(setting(topics.commands(), "cleanup.policy")).isEqualTo("delete");
        assertThat(setting(topics.commands(), "retention.ms")).isEqualTo("604800000");
        assertThat(admin.describeTopics(List.of(topics.membership())).allTopicNames().get()
                .get(topics.membership()).partitions()).hasSize(3);

        CommandRun again = run(topics, "create", "--partitions", "5");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).containsPattern("create-test\\.membership +found +3 ")
                .contains("note: topic create-test.membership has 3 partitions, not the 5 asked for")
                .contains("topics: 0 created, 6 found; settings verified");
        CommandRun check = run(topics, "check");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("topics: settings verified");
    }

    @Test
    void anExistingMembershipTopicThatIsNotCompactedIsRefusedAndNothingIsCreated() throws Exception {
        TopicNames topics = MembershipTopicFixture.topics("wrong-test");
        admin.createTopics(List.of(new NewTopic(topics.membership(), 2, (short) 1)
                .configs(Map.of("cleanup.policy", "delete")))).all().get();

        CommandRun run = run(topics, "create", "--partitions", "2");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("topic wrong-test.membership must have cleanup.policy=compact (it has delete)")
                .contains("nothing was created or changed");
        assertThat(admin.listTopics().names().get()).doesNotContain(topics.commands(), topics.segments(),
                topics.imports(), topics.deadLetter(), topics.status());
        assertThat(setting(topics.membership(), "cleanup.policy")).isEqualTo("delete");
        CommandRun check = run(topics, "check");
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(ExitCodes.DIFFERENCES);
        assertThat(check.out()).contains("problem: topic wrong-test.membership must have cleanup.policy=compact");
    }

    @Test
    void topicNamesComeFromTheOptionsAndBadCountsAreUsageErrors() {
        CommandRun run = run(MembershipTopicFixture.topics("bad-count"), "create", "--replication-factor", "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--partitions and --replication-factor must be at least 1");
        assertThat(topicNames()).noneMatch(n -> n.startsWith("bad-count"));
    }

    private static Set<String> topicNames() {
        try {
            return admin.listTopics().names().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String setting(String topic, String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        return config.get(name).value();
    }

    private static CommandRun run(TopicNames topics, String subcommand, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("topics", subcommand,
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--commands-topic", topics.commands(), "--membership-topic", topics.membership(),
                "--segments-topic", topics.segments(), "--imports-topic", topics.imports(),
                "--dead-letter-topic", topics.deadLetter(), "--status-topic", topics.status()));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }
}
