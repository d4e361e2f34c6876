package dev.bigsegments.deploycheck;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Health and metrics ({@code /q/*}) are served on Quarkus's management port, not the API port: every HTTP
 * probe of a {@code /q/} path targets the container port named {@value #NAME}, every ServiceMonitor
 * endpoint scrapes the Service port of that name, and every Service it selects has one (a Service without
 * it would silently drop out of Prometheus).
 */
final class ManagementPort {
    static final String NAME = "management";
    private static final String[] PROBES = {"startupProbe", "readinessProbe", "livenessProbe"};

    private ManagementPort() {
    }

    static List<String> check(List<Manifests.Document> documents, List<Workload> workloads) {
        List<String> errors = new ArrayList<>();
        for (Workload w : workloads) {
            for (JsonObject container : w.containers()) {
                probes(w, container, errors);
            }
        }
        for (Manifests.Document doc : documents) {
            if ("ServiceMonitor".equals(Json.string(doc.object(), "kind"))) {
                serviceMonitor(doc, documents, errors);
            }
        }
        return errors;
    }

    private static void probes(Workload w, JsonObject container, List<String> errors) {
        for (String probe : PROBES) {
            JsonObject get = Json.object(Json.object(container, probe), "httpGet");
            String path = Json.string(get, "path");
            if (path != null && path.startsWith("/q/") && !NAME.equals(portName(container, get.get("port")))) {
                errors.add(w.describe() + ": container " + Json.string(container, "name") + " " + probe + " reads "
                        + path + " on port " + Json.string(get, "port") + ", not on the " + NAME + " port");
            }
        }
    }

    /** The name of the container port a probe targets (by name, or by number), or null. */
    private static String portName(JsonObject container, JsonElement port) {
        if (port == null || !port.isJsonPrimitive()) {
            return null;
        }
        if (!port.getAsJsonPrimitive().isNumber()) {
            return port.getAsString();
        }
        for (JsonElement p : Json.array(container, "ports")) {
            if (port.getAsString().equals(Json.string(p.getAsJsonObject(), "containerPort"))) {
                return Json.string(p.getAsJsonObject(), "name");
            }
        }
        return null;
    }

    private static void serviceMonitor(Manifests.Document monitor, List<Manifests.Document> documents,
            List<String> errors) {
        JsonObject spec = Json.object(monitor.object(), "spec");
        for (JsonElement e : Json.array(spec, "endpoints")) {
            if (!NAME.equals(Json.string(e.getAsJsonObject(), "port"))) {
                errors.add(monitor.describe() + ": an endpoint scrapes port " + Json.string(e.getAsJsonObject(), "port")
                        + ", not the Service port named " + NAME);
            }
        }
        int selected = 0;
        for (Manifests.Document doc : documents) {
            JsonObject service = doc.object();
            if ("Service".equals(Json.string(service, "kind"))
                    && Objects.equals(Workload.namespace(service), Workload.namespace(monitor.object()))
                    && LabelSelectors.matches(Json.object(spec, "selector"), Json.labels(Json.object(service, "metadata")))) {
                selected++;
                if (!hasPort(service, NAME)) {
                    errors.add(doc.describe() + ": selected by " + monitor.describe() + " but has no port named " + NAME);
                }
            }
        }
        if (selected == 0) {
            errors.add(monitor.describe() + ": selects no Service");
        }
    }

    private static boolean hasPort(JsonObject service, String name) {
        for (JsonElement p : Json.array(Json.object(service, "spec"), "ports")) {
            if (name.equals(Json.string(p.getAsJsonObject(), "name"))) {
                return true;
            }
        }
        return false;
    }
}
