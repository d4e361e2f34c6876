package dev.bigsegments.embedded;

import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;

/** Broker settings for one combined broker+controller node on loopback, sized for a laptop. */
final class SingleNodeKafkaConfig {
    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";

    private SingleNodeKafkaConfig() {
    }

    static KafkaConfig create(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.putAll(roles(brokerPort, controllerPort));
        props.putAll(singleReplica());
        props.putAll(smallFootprint());
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("auto.create.topics.enable", "false");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.enable", "true");
        return KafkaConfig.fromProps(props, false);
    }

    // A static voter set (not the "--standalone" dynamic quorum): the formatted storage then holds
    // no controller address, so a restart may pick new ports.
    private static Properties roles(int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        return props;
    }

    // Internal topics default to replication factor 3, which one node cannot satisfy; transactions
    // (exactly_once_v2) would then never initialise.
    private static Properties singleReplica() {
        Properties props = new Properties();
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        return props;
    }

    // Fewer threads, internal-topic partitions and a smaller cleaner buffer: a 50-partition offsets
    // topic and a 128 MB dedupe buffer are sized for production clusters, not one process.
    private static Properties smallFootprint() {
        Properties props = new Properties();
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("num.replica.fetchers", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("group.coordinator.threads", "1");
        props.put("share.coordinator.threads", "1");
        props.put("log.cleaner.threads", "1");
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        props.put("num.partitions", "1");
        return props;
    }
}
