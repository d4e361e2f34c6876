package dev.bigsegments.deploycheck;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Only the store writer, among the services, may reach the store: no NetworkPolicy may allow another
 * service egress to Redis (6379, TLS 6380) or HTTPS (443: DynamoDB, STS), and a pod that is not isolated
 * for egress (selected by no egress policy) may reach everything. The other way round, the store writer must
 * be allowed all three, and a Job given a Redis URL both Redis ports, or they could not work.
 * Ports decide, not destinations: a store port allowed to any destination counts. Workloads without a
 * namespace (the operator Jobs, created by hand) are checked against the policies of every namespace.
 */
final class StoreEgress {
    static final List<Integer> STORE_PORTS = List.of(6379, 6380, 443);
    private static final List<Integer> REDIS_PORTS = List.of(6379, 6380);
    private static final Set<String> REDIS_URL_VARIABLES = Set.of("BIGSEGMENTS_REDIS_URL",
            "BIGSEGMENTS_WRITER_REDIS_URI");
    private static final String STORE_WRITER = "store-writer";

    private StoreEgress() {
    }

    static List<String> check(List<Manifests.Document> documents, List<Workload> workloads) {
        List<JsonObject> policies = documents.stream().map(Manifests.Document::object)
                .filter(o -> "NetworkPolicy".equals(Json.string(o, "kind"))).toList();
        Set<String> namespaces = new LinkedHashSet<>();
        policies.forEach(p -> namespaces.add(Workload.namespace(p)));
        List<String> errors = new ArrayList<>();
        for (Workload w : workloads) {
            // A workload without a namespace (an operator Job) runs where it is created: any of them.
            Set<String> where = w.namespace() == null && !namespaces.isEmpty() ? namespaces
                    : Collections.singleton(w.namespace());
            for (String namespace : where) {
                check(w, new Egress(policies, namespace, w.labels()), errors);
            }
        }
        return errors;
    }

    private static void check(Workload w, Egress egress, List<String> errors) {
        boolean writer = STORE_WRITER.equals(w.labels().get("app.kubernetes.io/name"));
        List<Integer> required = writer ? STORE_PORTS : usesRedis(w) ? REDIS_PORTS : List.of();
        String where = w.describe() + (egress.namespace() == null ? "" : " in namespace " + egress.namespace());
        for (int port : STORE_PORTS) {
            String allowedBy = egress.allowedBy(port);
            if (allowedBy != null && w.isService() && !writer) {
                errors.add(where + ": may reach store port " + port + " (" + allowedBy + "); only the store writer may");
            } else if (allowedBy == null && required.contains(port)) {
                errors.add(where + ": needs egress to store port " + port + ", which no NetworkPolicy allows");
            }
        }
    }

    private static boolean usesRedis(Workload w) {
        for (JsonObject container : w.containers()) {
            for (JsonElement env : Json.array(container, "env")) {
                if (REDIS_URL_VARIABLES.contains(Json.string(env.getAsJsonObject(), "name"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The egress the policies of one namespace give pods with these labels. */
    private record Egress(List<JsonObject> policies, String namespace, Map<String, String> labels) {
        /** What allows TCP egress to {@code port}: a policy, or the absence of any; null when nothing does. */
        String allowedBy(int port) {
            boolean isolated = false;
            for (JsonObject policy : policies) {
                JsonObject spec = Json.object(policy, "spec");
                if (!Objects.equals(namespace, Workload.namespace(policy)) || !isEgress(spec)
                        || !LabelSelectors.matches(Json.object(spec, "podSelector"), labels)) {
                    continue;
                }
                isolated = true;
                for (JsonElement rule : Json.array(spec, "egress")) {
                    if (rulePorts(rule.getAsJsonObject(), port)) {
                        return "NetworkPolicy " + Json.string(Json.object(policy, "metadata"), "name");
                    }
                }
            }
            return isolated ? null : "no egress policy selects it";
        }

        /** Whether the policy isolates egress (without policyTypes: when it has egress rules). */
        private static boolean isEgress(JsonObject spec) {
            if (!spec.has("policyTypes")) {
                return spec.has("egress");
            }
            for (JsonElement type : Json.array(spec, "policyTypes")) {
                if ("Egress".equals(type.getAsString())) {
                    return true;
                }
            }
            return false;
        }

        /** Whether a rule's ports include TCP {@code port}; no ports, or a named port, may be any. */
        private static boolean rulePorts(JsonObject rule, int port) {
            if (Json.array(rule, "ports").isEmpty()) {
                return true;
            }
            for (JsonElement e : Json.array(rule, "ports")) {
                JsonObject p = e.getAsJsonObject();
                String protocol = Json.string(p, "protocol");
                if (protocol != null && !"TCP".equals(protocol)) {
                    continue;
                }
                JsonElement number = p.get("port");
                if (number == null || !number.getAsJsonPrimitive().isNumber()) {
                    return true;
                }
                String end = Json.string(p, "endPort");
                int last = end == null ? number.getAsInt() : Integer.parseInt(end);
                if (port >= number.getAsInt() && port <= last) {
                    return true;
                }
            }
            return false;
        }
    }
}
