package dev.bigsegments.ingest.synced;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bigsegments.ingest.synced.RequestParserSpec.MemberArrayParser;
import dev.bigsegments.ingest.synced.SyncedRequest.CohortChanges;
import dev.bigsegments.ingest.synced.SyncedRequest.MemberUpdate;
import dev.bigsegments.schemas.ContextHashes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Applies an integration's JSON Pointers to a request body. Every error names the pointer at fault. */
public final class SyncedRequestParser {
    /** The context kind when the payload names none. */
    public static final String DEFAULT_CONTEXT_KIND = "user";
    /** Cohort ids become segment keys; longer ones are refused. */
    public static final int MAX_COHORT_ID_LENGTH = 200;
    private static final Pattern CONTEXT_KIND = Pattern.compile("[A-Za-z0-9._-]{1,256}");

    private SyncedRequestParser() {
    }

    /** Only the environment's client-side id, so that the token is checked before the rest is validated. */
    public static String environmentId(IntegrationDescriptor descriptor, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidPayloadException("the body must be a JSON object");
        }
        return requiredText(body, descriptor.parser().environmentIdPath());
    }

    public static SyncedRequest parse(IntegrationDescriptor descriptor, JsonNode body) {
        String environmentId = environmentId(descriptor, body);
        RequestParserSpec p = descriptor.parser();
        String kind = contextKind(body, p.contextKindPath());
        Cohort top = topCohort(body, p);
        Map<String, Builder> cohorts = new LinkedHashMap<>();
        if (p.memberArrayPath() != null) {
            JsonNode members = array(body, p.memberArrayPath(), true);
            Boolean batchAdd = descriptor.inclusionMatcher() == null ? null
                    : descriptor.inclusionMatcher().matcher(requiredText(body, p.arrayInclusion().path())).find();
            collect(cohorts, members, p.memberArrayPath(), p.memberArrayParser(), top, batchAdd);
        } else {
            JsonNode adds = array(body, p.addMemberArrayPath(), false);
            JsonNode removes = array(body, p.removeMemberArrayPath(), false);
            if (adds == null && removes == null) {
                throw new InvalidPayloadException(p.addMemberArrayPath() + " or " + p.removeMemberArrayPath()
                        + " must be an array");
            }
            collect(cohorts, adds, p.addMemberArrayPath(), p.memberArrayParser(), top, true);
            collect(cohorts, removes, p.removeMemberArrayPath(), p.memberArrayParser(), top, false);
        }
        if (cohorts.isEmpty()) {
            cohorts.put(top.require().id(), new Builder(top.require()));
        }
        return new SyncedRequest(environmentId, kind, cohorts.values().stream().map(Builder::build).toList());
    }

    private static void collect(Map<String, Builder> cohorts, JsonNode array, String arrayPath, MemberArrayParser m,
            Cohort top, Boolean batchAdd) {
        if (array == null) {
            return;
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode member = array.get(i);
            String at = arrayPath + "/" + i;
            String key = memberId(member, at, m.memberIdPath());
            boolean add = batchAdd != null ? batchAdd : membership(member, at, m.booleanMembershipPath());
            Cohort cohort = top;
            if (m.cohortIdPath() != null && present(member.at(pointer(m.cohortIdPath())))) {
                cohort = new Cohort(at + m.cohortIdPath(), cohortId(member, at + m.cohortIdPath(), m.cohortIdPath()),
                        optionalText(member, m.cohortNamePath()), optionalText(member, m.cohortUrlPath()));
            }
            Cohort resolved = cohort.require();
            cohorts.computeIfAbsent(resolved.id(), id -> new Builder(resolved)).members
                    .add(new MemberUpdate(ContextHashes.digest(key), add));
        }
    }

    private static Cohort topCohort(JsonNode body, RequestParserSpec p) {
        if (!present(body.at(pointer(p.cohortIdPath())))) {
            return new Cohort(p.cohortIdPath(), null, null, null);
        }
        return new Cohort(p.cohortIdPath(), cohortId(body, p.cohortIdPath(), p.cohortIdPath()),
                optionalText(body, p.cohortNamePath()), optionalText(body, p.cohortUrlPath()));
    }

    private static String cohortId(JsonNode node, String at, String path) {
        JsonNode v = node.at(pointer(path));
        String id = v.isTextual() ? v.textValue() : v.isIntegralNumber() ? v.asText() : null;
        if (id == null || id.isBlank() || id.length() > MAX_COHORT_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidPayloadException(at + " must be a cohort id of 1-" + MAX_COHORT_ID_LENGTH
                    + " characters without control characters");
        }
        return id;
    }

    private static String memberId(JsonNode member, String at, String path) {
        JsonNode v = member.at(pointer(path));
        String id = v.isTextual() ? v.textValue() : v.isIntegralNumber() ? v.asText() : null;
        if (id == null || id.isEmpty()) {
            throw new InvalidPayloadException(at + path + " must be a non-empty context key");
        }
        return id;
    }

    private static boolean membership(JsonNode member, String at, String path) {
        JsonNode v = member.at(pointer(path));
        if (!v.isBoolean()) {
            throw new InvalidPayloadException(at + path + " must be true or false");
        }
        return v.booleanValue();
    }

    private static String contextKind(JsonNode body, String path) {
        if (path == null || !present(body.at(pointer(path)))) {
            return DEFAULT_CONTEXT_KIND;
        }
        JsonNode v = body.at(pointer(path));
        if (!v.isTextual() || !CONTEXT_KIND.matcher(v.textValue()).matches() || "kind".equals(v.textValue())) {
            throw new InvalidPayloadException(path + " must be a context kind (letters, digits, '.', '_', '-')");
        }
        return v.textValue();
    }

    private static JsonNode array(JsonNode body, String path, boolean required) {
        JsonNode v = body.at(pointer(path));
        if (!present(v)) {
            if (required) {
                throw new InvalidPayloadException(path + " must be an array");
            }
            return null;
        }
        if (!v.isArray()) {
            throw new InvalidPayloadException(path + " must be an array");
        }
        return v;
    }

    private static String requiredText(JsonNode body, String path) {
        JsonNode v = body.at(pointer(path));
        if (!v.isTextual() || v.textValue().isEmpty()) {
            throw new InvalidPayloadException(path + " must be a non-empty string");
        }
        return v.textValue();
    }

    private static String optionalText(JsonNode node, String path) {
        if (path == null) {
            return null;
        }
        JsonNode v = node.at(pointer(path));
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private static boolean present(JsonNode v) {
        return !v.isMissingNode() && !v.isNull();
    }

    private static JsonPointer pointer(String path) {
        return JsonPointer.compile(path);
    }

    /** A cohort as found in the payload; {@code id} is null when the payload lacks it at {@code pointer}. */
    private record Cohort(String pointer, String id, String name, String url) {
        Cohort require() {
            if (id == null) {
                throw new InvalidPayloadException(pointer + " must be a cohort id");
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
