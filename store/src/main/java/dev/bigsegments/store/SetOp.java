package dev.bigsegments.store;

import dev.bigsegments.schemas.avro.MemberList;
import java.util.Objects;

/**
 * One set operation: add {@code segmentRef} to, or remove it from, one list of one context.
 *
 * @param contextHash the store form of the context hash (44 characters of base64), never a raw key
 */
public record SetOp(String environmentId, String contextHash, MemberList list, String segmentRef, boolean add) {

    public SetOp {
        Objects.requireNonNull(environmentId, "environmentId");
        Objects.requireNonNull(contextHash, "contextHash");
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(segmentRef, "segmentRef");
    }
}
