package dev.bigsegments.deploycheck;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;

/**
 * Validates one object against its kind's schema. Built-in kinds use the models of the Kubernetes Java
 * client, generated from the Kubernetes OpenAPI spec, whose {@code validateJsonElement} rejects unknown and
 * missing required fields at every level; custom resources use {@link CustomResourceSchemas}. A kind with
 * no schema is an error, as with {@code kubeconform -strict}.
 */
final class SchemaValidator {
    private static final String MODELS = "io.kubernetes.client.openapi.models.";
    /** API groups served by Kubernetes itself ("" is the core group). */
    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy",
            "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io", "scheduling.k8s.io",
            "coordination.k8s.io", "discovery.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io",
            "certificates.k8s.io", "node.k8s.io");
    private static final int MAX_MESSAGE = 300;

    private SchemaValidator() {
    }

    /** The first error found, if any. */
    static Optional<String> validate(JsonObject object) {
        String apiVersion = Json.string(object, "apiVersion");
        String kind = Json.string(object, "kind");
        if (apiVersion == null || kind == null) {
            return Optional.of("apiVersion and kind are required");
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        try {
            if (BUILT_IN_GROUPS.contains(group)) {
                validateBuiltIn(object, version, kind);
            } else {
                CustomResourceSchemas.validate(object, group, version, kind);
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(shorten(e.getMessage()));
        }
    }

    private static void validateBuiltIn(JsonObject object, String version, String kind) {
        String className = MODELS + Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind;
        Method validate;
        try {
            validate = Class.forName(className).getMethod("validateJsonElement", JsonElement.class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new IllegalArgumentException("no schema for " + Json.string(object, "apiVersion") + " " + kind);
        }
        try {
            validate.invoke(null, object);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException(cause.getMessage(), cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        // The generated schema allows a missing name; the API server wants a name or a generateName.
        JsonObject metadata = object.getAsJsonObject("metadata");
        if (metadata == null || Json.string(metadata, "name") == null && Json.string(metadata, "generateName") == null) {
            throw new IllegalArgumentException("metadata.name (or generateName) is required");
        }
    }

    /** The generated messages end with the whole offending JSON; keep the field and model names. */
    private static String shorten(String message) {
        if (message == null) {
            return "invalid";
        }
        String m = message;
        for (String tail : new String[] {" JSON: ", " in the JSON string: "}) {
            int at = m.indexOf(tail);
            m = at < 0 ? m : m.substring(0, at);
        }
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m;
    }
}
