package dev.bigsegments.standalone;

import java.nio.file.Path;
import java.util.Optional;

/** Command-line options of the standalone run. */
record StandaloneOptions(Path dataDir, Optional<String> redisUrl, Optional<String> kafkaBootstrapServers, int port,
        int managementPort, int registryPort) {
    static final int DEFAULT_PORT = 8080;
    /** The schema registry endpoint; Confluent Schema Registry's usual port. */
    static final int DEFAULT_REGISTRY_PORT = 8081;
    /** Health and metrics; Quarkus's default management port. */
    static final int DEFAULT_MANAGEMENT_PORT = 9000;
    static final Path DEFAULT_DATA_DIR = Path.of("target", "standalone-data");

    static StandaloneOptions parse(String... args) {
        Path dataDir = DEFAULT_DATA_DIR;
        String redisUrl = null;
        String kafka = null;
        int port = DEFAULT_PORT;
        int managementPort = DEFAULT_MANAGEMENT_PORT;
        int registryPort = DEFAULT_REGISTRY_PORT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                case "--redis-url" -> redisUrl = value(args, ++i, "--redis-url");
                case "--kafka-bootstrap-servers" -> kafka = value(args, ++i, "--kafka-bootstrap-servers");
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--management-port" -> managementPort = Integer.parseInt(value(args, ++i, "--management-port"));
                case "--registry-port" -> registryPort = Integer.parseInt(value(args, ++i, "--registry-port"));
                case "--help", "-h" -> {
                    System.out.println("usage: standalone [--port 8080] [--management-port 9000] [--registry-port 8081]"
                            + " [--data-dir DIR] [--redis-url redis://host:port] [--kafka-bootstrap-servers host:9092]");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        return new StandaloneOptions(dataDir, Optional.ofNullable(redisUrl), Optional.ofNullable(kafka), port,
                managementPort, registryPort);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
