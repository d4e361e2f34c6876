package dev.bigsegments.deploycheck;

import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;

/**
 * No pod mounts a Kubernetes API token: none of the services or Jobs calls the API, so a token would only
 * help an attacker inside a pod. Both the pods and the service accounts must say
 * {@code automountServiceAccountToken: false} (a pod that says nothing inherits its account's setting, and
 * an account that says nothing mounts the token).
 */
final class ServiceAccountTokens {
    private static final String FIELD = "automountServiceAccountToken";

    private ServiceAccountTokens() {
    }

    static List<String> check(List<Manifests.Document> documents, List<Workload> workloads) {
        List<String> errors = new ArrayList<>();
        for (Workload w : workloads) {
            if (!isFalse(w.podSpec().get(FIELD))) {
                errors.add(w.describe() + ": its pods mount a service account token (set " + FIELD
                        + ": false in the pod template; nothing here calls the Kubernetes API)");
            }
        }
        for (Manifests.Document doc : documents) {
            if ("ServiceAccount".equals(Json.string(doc.object(), "kind")) && !isFalse(doc.object().get(FIELD))) {
                errors.add(doc.describe() + ": mounts its token into pods by default (set " + FIELD + ": false)");
            }
        }
        return errors;
    }

    private static boolean isFalse(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && !e.getAsBoolean();
    }
}
