package dev.bigsegments.schemas;

/**
 * The topic names one deployment uses, one per {@link Topic} of {@link Topics}; {@link #defaults()} are their
 * default names.
 *
 * @param deadLetter where records that cannot be decoded or fail validation go, with headers naming
 *     their source ({@link DeadLetters})
 * @param status where store writers report their state ({@link Topics#STATUS})
 */
public record TopicNames(String commands, String membership, String segments, String imports, String deadLetter,
        String status) {

    public static TopicNames defaults() {
        return new TopicNames(Topics.COMMANDS.defaultName(), Topics.MEMBERSHIP.defaultName(),
                Topics.SEGMENTS.defaultName(), Topics.IMPORTS.defaultName(), Topics.DEAD_LETTER.defaultName(),
                Topics.STATUS.defaultName());
    }

    /** The name {@code topic} has here. */
    public String name(Topic<?, ?> topic) {
        return switch (topic.role()) {
            case "commands" -> commands;
            case "membership" -> membership;
            case "segments" -> segments;
            case "imports" -> imports;
            case "dead-letter" -> deadLetter;
            case "status" -> status;
            default -> throw new IllegalArgumentException("not one of the pipeline's topics: " + topic);
        };
    }

    /** Every topic named {@code namespace.<role>}: pipelines that share a broker without meeting (tests, benchmarks). */
    public static TopicNames namespaced(String namespace) {
        return new TopicNames(namespace + ".commands", namespace + ".membership", namespace + ".segments",
                namespace + ".imports", namespace + ".dead-letter", namespace + ".status");
    }
}
