package dev.bigsegments.ingest.body;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * What the service's JSON parser accepts in a request body. Jackson's stream read constraints bound how
 * deep a body nests and how long a string or a number may be; the parser checks them as it reads, so a
 * hostile body fails early, and code that walks a parsed value never meets more depth than
 * {@link #maxNestingDepth}. And no silent type coercion: a number or a boolean where the API documents a
 * string (or the reverse) is refused, naming the field, rather than guessed at.
 */
public record JsonLimits(int maxNestingDepth, int maxStringLength, int maxNumberLength) {

    public void applyTo(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxStringLength).maxNumberLength(maxNumberLength).build());
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }

    /**
     * The violated limit as the operator configures it. Jackson's message names the getter of the
     * constraint it enforced, which is how the setting behind it is found.
     */
    static String explain(StreamConstraintsException e, StreamReadConstraints c) {
        String jackson = String.valueOf(e.getOriginalMessage());
        if (jackson.contains("getMaxNestingDepth")) {
            return "the JSON nests deeper than bigsegments.ingest.json.max-nesting-depth (" + c.getMaxNestingDepth()
                    + ")";
        }
        if (jackson.contains("getMaxStringLength")) {
            return "a JSON string is longer than bigsegments.ingest.json.max-string-length (" + c.getMaxStringLength()
                    + " characters)";
        }
        if (jackson.contains("getMaxNumberLength")) {
            return "a JSON number is longer than bigsegments.ingest.json.max-number-length (" + c.getMaxNumberLength()
                    + " characters)";
        }
        return jackson;
    }
}
