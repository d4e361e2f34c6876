package dev.bigsegments.cli.diff;

import dev.bigsegments.schemas.avro.MemberList;

/** One membership set of the store: a context hash's included or excluded list. */
public record Slot(MemberList list, String contextHash) {
}
