package dev.bigsegments.ingest.synced;

import dev.bigsegments.ingest.synced.RequestParserSpec.ArrayInclusion;
import dev.bigsegments.ingest.synced.RequestParserSpec.MemberArrayParser;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The cross-field rules a request parser must follow; the first broken one is reported with the file. */
public final class DescriptorValidator {
    static final String RULE_REQUIRED = "%s is required";
    static final String RULE_POINTER = "%s must be a JSON Pointer (empty or starting with '/')";
    static final String RULE_BOTH_ARRAYS = "addMemberArrayPath and removeMemberArrayPath must be given both or neither";
    static final String RULE_ARRAYS_EXCLUSIVE = "addMemberArrayPath/removeMemberArrayPath cannot be combined with memberArrayPath";
    static final String RULE_SOME_ARRAY = "either memberArrayPath or addMemberArrayPath/removeMemberArrayPath is required";
    static final String RULE_INCLUSION_NEEDS_ARRAY = "arrayInclusion needs memberArrayPath";
    static final String RULE_BOOLEAN_NEEDS_ARRAY = "memberArrayParser.booleanMembershipPath needs memberArrayPath";
    static final String RULE_ONE_ENCODING = "memberArrayPath needs exactly one of arrayInclusion or memberArrayParser.booleanMembershipPath";
    static final String RULE_MATCHER = "arrayInclusion.matcher is not a valid regular expression: %s";

    private DescriptorValidator() {
    }

    /** @return the descriptor, with its inclusion matcher compiled */
    public static IntegrationDescriptor validate(String file, String key, RequestParserSpec p, boolean jsonResponse) {
        if (p == null) {
            throw new InvalidDescriptorException(file, String.format(RULE_REQUIRED,
                    "capabilities.syncedSegment.requestParser"));
        }
        pointer(file, "environmentIdPath", p.environmentIdPath(), true);
        pointer(file, "contextKindPath", p.contextKindPath(), false);
        pointer(file, "cohortIdPath", p.cohortIdPath(), true);
        pointer(file, "cohortNamePath", p.cohortNamePath(), true);
        pointer(file, "cohortUrlPath", p.cohortUrlPath(), false);
        pointer(file, "memberArrayPath", p.memberArrayPath(), false);
        pointer(file, "addMemberArrayPath", p.addMemberArrayPath(), false);
        pointer(file, "removeMemberArrayPath", p.removeMemberArrayPath(), false);
        boolean single = p.memberArrayPath() != null;
        boolean add = p.addMemberArrayPath() != null;
        boolean remove = p.removeMemberArrayPath() != null;
        if (add != remove) {
            throw new InvalidDescriptorException(file, RULE_BOTH_ARRAYS);
        }
        if (single && add) {
            throw new InvalidDescriptorException(file, RULE_ARRAYS_EXCLUSIVE);
        }
        if (!single && !add) {
            throw new InvalidDescriptorException(file, RULE_SOME_ARRAY);
        }
        MemberArrayParser m = p.memberArrayParser();
        if (m == null) {
            throw new InvalidDescriptorException(file, String.format(RULE_REQUIRED, "memberArrayParser"));
        }
        pointer(file, "memberArrayParser.memberIdPath", m.memberIdPath(), true);
        pointer(file, "memberArrayParser.booleanMembershipPath", m.booleanMembershipPath(), false);
        pointer(file, "memberArrayParser.cohortIdPath", m.cohortIdPath(), false);
        pointer(file, "memberArrayParser.cohortNamePath", m.cohortNamePath(), false);
        pointer(file, "memberArrayParser.cohortUrlPath", m.cohortUrlPath(), false);
        ArrayInclusion inclusion = p.arrayInclusion();
        if (inclusion != null && !single) {
            throw new InvalidDescriptorException(file, RULE_INCLUSION_NEEDS_ARRAY);
        }
        if (m.booleanMembershipPath() != null && !single) {
            throw new InvalidDescriptorException(file, RULE_BOOLEAN_NEEDS_ARRAY);
        }
        if (single && (inclusion == null) == (m.booleanMembershipPath() == null)) {
            throw new InvalidDescriptorException(file, RULE_ONE_ENCODING);
        }
        return new IntegrationDescriptor(key, p, jsonResponse, inclusion == null ? null : matcher(file, inclusion));
    }

    private static Pattern matcher(String file, ArrayInclusion inclusion) {
        pointer(file, "arrayInclusion.path", inclusion.path(), true);
        if (inclusion.matcher() == null) {
            throw new InvalidDescriptorException(file, String.format(RULE_REQUIRED, "arrayInclusion.matcher"));
        }
        try {
            return Pattern.compile(inclusion.matcher());
        } catch (PatternSyntaxException e) {
            throw new InvalidDescriptorException(file, String.format(RULE_MATCHER, e.getDescription()), e);
        }
    }

    private static void pointer(String file, String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw new InvalidDescriptorException(file, String.format(RULE_REQUIRED, field));
            }
            return;
        }
        if (!value.isEmpty() && !value.startsWith("/")) {
            throw new InvalidDescriptorException(file, String.format(RULE_POINTER, field));
        }
    }
}
