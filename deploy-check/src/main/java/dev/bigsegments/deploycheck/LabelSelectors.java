package dev.bigsegments.deploycheck;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Kubernetes label selectors ({@code matchLabels}, {@code matchExpressions}), as the API server applies them. */
final class LabelSelectors {
    private LabelSelectors() {
    }

    /** Whether {@code selector} selects an object with these labels; an empty selector selects everything. */
    static boolean matches(JsonObject selector, Map<String, String> labels) {
        for (Map.Entry<String, JsonElement> e : Json.object(selector, "matchLabels").entrySet()) {
            if (!e.getValue().getAsString().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonElement e : Json.array(selector, "matchExpressions")) {
            if (!expression(e.getAsJsonObject(), labels)) {
                return false;
            }
        }
        return true;
    }

    private static boolean expression(JsonObject requirement, Map<String, String> labels) {
        String value = labels.get(Json.string(requirement, "key"));
        Set<String> values = new HashSet<>();
        Json.array(requirement, "values").forEach(v -> values.add(v.getAsString()));
        String operator = Json.string(requirement, "operator");
        return switch (operator == null ? "" : operator) {
            case "In" -> values.contains(value);
            case "NotIn" -> !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new IllegalArgumentException("unknown label selector operator " + operator);
        };
    }
}
