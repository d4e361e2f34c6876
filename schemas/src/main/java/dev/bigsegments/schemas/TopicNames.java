package dev.bigsegments.schemas;

/**
 * The topic names one deployment uses; {@link #defaults()} are the names in {@link Topics}.
 *
 * @param deadLetter where records that cannot be decoded or fail validation go, with headers naming
 *     their source ({@link DeadLetters})
 * @param status where store writers report their state ({@link Topics#STATUS})
 */
public record TopicNames(String commands, String membership, String segments, String imports, String deadLetter,
        String status) {

    public static TopicNames defaults() {
        return new TopicNames(Topics.COMMANDS, Topics.MEMBERSHIP, Topics.SEGMENTS, Topics.IMPORTS, Topics.DEAD_LETTER,
                Topics.STATUS);
    }

    /** Every topic named {@code namespace.<role>}: pipelines that share a broker without meeting (tests, benchmarks). */
    public static TopicNames namespaced(String namespace) {
        return new TopicNames(namespace + ".commands", namespace + ".membership", namespace + ".segments",
                namespace + ".imports", namespace + ".dead-letter", namespace + ".status");
    }
}
