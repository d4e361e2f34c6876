package dev.bigsegments.schemas;

/** The topic names one deployment uses; {@link #defaults()} are the names in {@link Topics}. */
public record TopicNames(String commands, String membership, String segments, String imports) {

    public static TopicNames defaults() {
        return new TopicNames(Topics.COMMANDS, Topics.MEMBERSHIP, Topics.SEGMENTS, Topics.IMPORTS);
    }
}
