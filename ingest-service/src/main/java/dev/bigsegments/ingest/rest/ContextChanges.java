package dev.bigsegments.ingest.rest;

import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.publish.MembershipCommands;
import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.ingest.rest.SegmentRequests.ContextsBody;
import dev.bigsegments.ingest.rest.SegmentRequests.ListChange;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MemberOp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Validates a contexts body, hashes its keys and publishes the changes in order: one membership command,
 * or several ({@code bigsegments.ingest.contexts.members-per-command} each) when the body holds more than
 * one Kafka record carries. Command ids come from the {@code Idempotency-Key}, so a retry is dropped.
 */
@ApplicationScoped
public class ContextChanges {
    @Inject
    PipelineClient pipeline;

    @Inject
    IngestConfig config;

    public void publish(SegmentId segment, ContextsBody body, String idempotencyKey) {
        if (body == null) {
            throw new InvalidRequest("a JSON body is required");
        }
        List<MemberChange> changes = new ArrayList<>();
        Set<String> includedAdds = collect(changes, body.included(), MemberList.INCLUDED, "/included");
        Set<String> excludedAdds = collect(changes, body.excluded(), MemberList.EXCLUDED, "/excluded");
        includedAdds.retainAll(excludedAdds);
        if (!includedAdds.isEmpty()) {
            throw new InvalidRequest(
                    includedAdds.size() + " context key(s) are added to both /included/add and /excluded/add");
        }
        if (changes.isEmpty()) {
            return;
        }
        String idPrefix = idempotencyKey == null ? UUID.randomUUID().toString()
                : "contexts:" + segment + ":" + idempotencyKey;
        pipeline.publisher().sendAllAndWait(MembershipCommands.split(segment, idPrefix, changes,
                config.contexts().membersPerCommand()));
    }

    /** Appends removes before adds of one list; returns the keys added. */
    private static Set<String> collect(List<MemberChange> out, ListChange change, MemberList list, String pointer) {
        Set<String> adds = new HashSet<>();
        if (change == null) {
            return adds;
        }
        append(out, change.remove(), list, MemberOp.REMOVE, pointer + "/remove", null);
        append(out, change.add(), list, MemberOp.ADD, pointer + "/add", adds);
        return adds;
    }

    private static void append(List<MemberChange> out, List<String> keys, MemberList list, MemberOp op,
            String pointer, Set<String> seen) {
        if (keys == null) {
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (key == null || key.isEmpty()) {
                throw new InvalidRequest(pointer + "/" + i + " must be a non-empty context key");
            }
            byte[] digest = ContextHashes.digest(key);
            if (seen != null) {
                seen.add(ContextHashes.encode(digest));
            }
            out.add(new MemberChange(list, op, new ContextHash(digest), null));
        }
    }
}
