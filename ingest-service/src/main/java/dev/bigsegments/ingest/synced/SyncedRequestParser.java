package dev.bigsegments.ingest.synced;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.ingest.body.BodyLimit;
import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.synced.RequestParserSpec.MemberArrayParser;
import dev.bigsegments.ingest.synced.SyncedRequest.CohortChanges;
import dev.bigsegments.ingest.synced.SyncedRequest.MemberUpdate;
import dev.bigsegments.schemas.ContextHashes;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Applies an integration's JSON Pointers to a request body as it streams. Every error names the pointer at fault. */
public final class SyncedRequestParser {
    /** The context kind when the payload names none. */
    public static final String DEFAULT_CONTEXT_KIND = "user";
    /** Cohort ids become segment keys; longer ones are refused. */
    public static final int MAX_COHORT_ID_LENGTH = 200;
    private static final Pattern CONTEXT_KIND = Pattern.compile("[A-Za-z0-9._-]{1,256}");

    private SyncedRequestParser() {
    }

    /**
     * Reads a tool's request body as a stream (see {@link PayloadStream}); the members are parsed as they
     * come, and a payload error waits in the result until {@link Read#request()} asks for the request, so
     * errors are reported in the same order whatever the order of the fields in the body.
     *
     * @param json the service's mapper, whose stream read constraints bound the parse
     * @throws dev.bigsegments.ingest.errors.LimitExceeded past the limit
     * @throws InvalidRequest when the body is not JSON, with its location
     */
    public static Read read(IntegrationDescriptor descriptor, ObjectMapper json, InputStream body, BodyLimit limit) {
        RequestParserSpec p = descriptor.parser();
        List<String> scalars = new ArrayList<>();
        for (String path : new String[] {p.environmentIdPath(), p.contextKindPath(), p.cohortIdPath(),
                p.cohortNamePath(), p.cohortUrlPath(), p.arrayInclusion() == null ? null : p.arrayInclusion().path()}) {
            if (path != null) {
                scalars.add(path);
            }
        }
        Map<String, Members> arrays = new LinkedHashMap<>();
        if (p.memberArrayPath() != null) {
            arrays.put(p.memberArrayPath(), new Members(p.memberArrayPath(), p.memberArrayParser(),
                    descriptor.inclusionMatcher() == null));
        } else {
            arrays.put(p.addMemberArrayPath(), new Members(p.addMemberArrayPath(), p.memberArrayParser(), false));
            arrays.put(p.removeMemberArrayPath(), new Members(p.removeMemberArrayPath(), p.memberArrayParser(), false));
        }
        return new Read(descriptor, PayloadStream.read(json, body, limit, scalars, new LinkedHashMap<>(arrays)), arrays);
    }

    /** A body read to its end: its hash, and the request it holds or the first error in it. */
    public static final class Read {
        private final IntegrationDescriptor descriptor;
        private final PayloadStream.Result body;
        private final Map<String, Members> arrays;

        private Read(IntegrationDescriptor descriptor, PayloadStream.Result body, Map<String, Members> arrays) {
            this.descriptor = descriptor;
            this.body = body;
            this.arrays = arrays;
        }

        /** The SHA-256 of the body: the identity of a retried request. */
        public String sha256() {
            return body.sha256();
        }

        /** Only the environment's client-side id, so that the token is checked before the rest is validated. */
        public String environmentId() {
            if (body.root() != JsonToken.START_OBJECT) {
                throw new InvalidRequest("the body must be a JSON object");
            }
            return requiredText(body, descriptor.parser().environmentIdPath());
        }

        public SyncedRequest request() {
            String environmentId = environmentId();
            RequestParserSpec p = descriptor.parser();
            String kind = contextKind(body, p.contextKindPath());
            Cohort top = topCohort(body, p);
            Map<String, Builder> cohorts = new LinkedHashMap<>();
            if (p.memberArrayPath() != null) {
                Members members = array(p.memberArrayPath(), true);
                Boolean batchAdd = descriptor.inclusionMatcher() == null ? null
                        : descriptor.inclusionMatcher().matcher(requiredText(body, p.arrayInclusion().path())).find();
                members.collect(cohorts, top, batchAdd);
            } else {
                Members adds = array(p.addMemberArrayPath(), false);
                Members removes = array(p.removeMemberArrayPath(), false);
                if (adds == null && removes == null) {
                    throw new InvalidRequest(p.addMemberArrayPath() + " or " + p.removeMemberArrayPath()
                            + " must be an array");
                }
                if (adds != null) {
                    adds.collect(cohorts, top, true);
                }
                if (removes != null) {
                    removes.collect(cohorts, top, false);
                }
            }
            if (cohorts.isEmpty()) {
                cohorts.put(top.require().id(), new Builder(top.require()));
            }
            return new SyncedRequest(environmentId, kind, cohorts.values().stream().map(Builder::build).toList());
        }

        private Members array(String path, boolean required) {
            JsonToken token = body.arrayToken(normalized(path));
            if (token == null || token == JsonToken.VALUE_NULL) {
                if (required) {
                    throw new InvalidRequest(path + " must be an array");
                }
                return null;
            }
            if (token != JsonToken.START_ARRAY) {
                throw new InvalidRequest(path + " must be an array");
            }
            return arrays.get(path);
        }
    }

    /** The members of one array as they stream by: parsed up to the first error, which is kept for later. */
    private static final class Members implements PayloadStream.ElementSink {
        private final String arrayPath;
        private final MemberArrayParser parser;
        private final boolean readsMembership;
        private final List<Member> members = new ArrayList<>();
        private InvalidRequest error;

        Members(String arrayPath, MemberArrayParser parser, boolean readsMembership) {
            this.arrayPath = arrayPath;
            this.parser = parser;
            this.readsMembership = readsMembership;
        }

        @Override
        public void element(int index, JsonNode member) {
            if (error != null) {
                return;
            }
            try {
                String at = arrayPath + "/" + index;
                String key = memberId(member, at, parser.memberIdPath());
                Boolean add = readsMembership ? membership(member, at, parser.booleanMembershipPath()) : null;
                Cohort cohort = null;
                if (parser.cohortIdPath() != null && present(member.at(pointer(parser.cohortIdPath())))) {
                    cohort = new Cohort(at + parser.cohortIdPath(),
                            cohortId(member, at + parser.cohortIdPath(), parser.cohortIdPath()),
                            optionalText(member, parser.cohortNamePath()), optionalText(member, parser.cohortUrlPath()));
                }
                members.add(new Member(ContextHashes.digest(key), add, cohort));
            } catch (InvalidRequest e) {
                error = e;
            }
        }

        /** Adds the members to their cohorts in order; members without a cohort of their own go to {@code top}. */
        void collect(Map<String, Builder> cohorts, Cohort top, Boolean batchAdd) {
            for (Member member : members) {
                Cohort resolved = (member.cohort() == null ? top : member.cohort()).require();
                boolean add = batchAdd != null ? batchAdd : member.add();
                cohorts.computeIfAbsent(resolved.id(), id -> new Builder(resolved)).members
                        .add(new MemberUpdate(member.digest(), add));
            }
            if (error != null) {
                throw error;
            }
        }
    }

    /** One parsed member; {@code add} is null when the batch decides it, {@code cohort} when the top one does. */
    private record Member(byte[] digest, Boolean add, Cohort cohort) {
    }

    private static Cohort topCohort(PayloadStream.Result body, RequestParserSpec p) {
        if (!present(body.at(normalized(p.cohortIdPath())))) {
            return new Cohort(p.cohortIdPath(), null, null, null);
        }
        return new Cohort(p.cohortIdPath(), cohortId(body.at(normalized(p.cohortIdPath())), p.cohortIdPath()),
                optionalText(body, p.cohortNamePath()), optionalText(body, p.cohortUrlPath()));
    }

    private static String cohortId(JsonNode node, String at, String path) {
        return cohortId(node.at(pointer(path)), at);
    }

    private static String cohortId(JsonNode v, String at) {
        String id = v.isTextual() ? v.textValue() : v.isIntegralNumber() ? v.asText() : null;
        if (id == null || id.isBlank() || id.length() > MAX_COHORT_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequest(at + " must be a cohort id of 1-" + MAX_COHORT_ID_LENGTH
                    + " characters without control characters");
        }
        return id;
    }

    private static String memberId(JsonNode member, String at, String path) {
        JsonNode v = member.at(pointer(path));
        String id = v.isTextual() ? v.textValue() : v.isIntegralNumber() ? v.asText() : null;
        if (id == null || id.isEmpty()) {
            throw new InvalidRequest(at + path + " must be a non-empty context key");
        }
        return id;
    }

    private static boolean membership(JsonNode member, String at, String path) {
        JsonNode v = member.at(pointer(path));
        if (!v.isBoolean()) {
            throw new InvalidRequest(at + path + " must be true or false");
        }
        return v.booleanValue();
    }

    private static String contextKind(PayloadStream.Result body, String path) {
        if (path == null || !present(body.at(normalized(path)))) {
            return DEFAULT_CONTEXT_KIND;
        }
        JsonNode v = body.at(normalized(path));
        if (!v.isTextual() || !CONTEXT_KIND.matcher(v.textValue()).matches() || "kind".equals(v.textValue())) {
            throw new InvalidRequest(path + " must be a context kind (letters, digits, '.', '_', '-')");
        }
        return v.textValue();
    }

    private static String requiredText(PayloadStream.Result body, String path) {
        JsonNode v = body.at(normalized(path));
        if (!v.isTextual() || v.textValue().isEmpty()) {
            throw new InvalidRequest(path + " must be a non-empty string");
        }
        return v.textValue();
    }

    private static String optionalText(JsonNode node, String path) {
        return path == null ? null : text(node.at(pointer(path)));
    }

    private static String optionalText(PayloadStream.Result body, String path) {
        return path == null ? null : text(body.at(normalized(path)));
    }

    private static String text(JsonNode v) {
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private static boolean present(JsonNode v) {
        return !v.isMissingNode() && !v.isNull();
    }

    private static JsonPointer pointer(String path) {
        return JsonPointer.compile(path);
    }

    private static String normalized(String path) {
        return pointer(path).toString();
    }

    /** A cohort as found in the payload; {@code id} is null when the payload lacks it at {@code pointer}. */
    private record Cohort(String pointer, String id, String name, String url) {
        Cohort require() {
            if (id == null) {
                throw new InvalidRequest(pointer + " must be a cohort id");
            }
            return this;
        }
    }

    private static final class Builder {
        final Cohort cohort;
        final List<MemberUpdate> members = new ArrayList<>();

        Builder(Cohort cohort) {
            this.cohort = cohort;
        }

        CohortChanges build() {
            return new CohortChanges(cohort.id(), cohort.name() == null ? cohort.id() : cohort.name(), cohort.url(),
                    List.copyOf(members));
        }
    }
}
