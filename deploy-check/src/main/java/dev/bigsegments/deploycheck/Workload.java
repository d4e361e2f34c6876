package dev.bigsegments.deploycheck;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An object that runs pods, with its pod template: what the hardening rules look at. */
record Workload(Manifests.Document document, String kind, String namespace, Map<String, String> labels,
        JsonObject podSpec) {
    /** Kinds whose pods serve (the pipeline's services), as opposed to Jobs that run to completion. */
    private static final Set<String> SERVICE_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet");
    private static final Set<String> TEMPLATE_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
            "Job", "ReplicationController");

    static List<Workload> in(List<Manifests.Document> documents) {
        List<Workload> workloads = new ArrayList<>();
        for (Manifests.Document doc : documents) {
            template(doc.object()).ifPresent(t -> workloads.add(new Workload(doc, Json.string(doc.object(), "kind"),
                    namespace(doc.object()), Json.labels(Json.object(t, "metadata")), Json.object(t, "spec"))));
        }
        return workloads;
    }

    private static Optional<JsonObject> template(JsonObject object) {
        String kind = Json.string(object, "kind");
        JsonObject spec = Json.object(object, "spec");
        if ("CronJob".equals(kind)) {
            spec = Json.object(Json.object(spec, "jobTemplate"), "spec");
        } else if (!TEMPLATE_KINDS.contains(kind)) {
            return Optional.empty();
        }
        JsonObject template = Json.object(spec, "template");
        return template.has("spec") ? Optional.of(template) : Optional.empty();
    }

    static String namespace(JsonObject object) {
        return Json.string(Json.object(object, "metadata"), "namespace");
    }

    boolean isService() {
        return SERVICE_KINDS.contains(kind);
    }

    /** The pod's containers, init containers included. */
    List<JsonObject> containers() {
        List<JsonObject> containers = new ArrayList<>();
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonElement c : Json.array(podSpec, list)) {
                containers.add(c.getAsJsonObject());
            }
        }
        return containers;
    }

    String describe() {
        return document.describe();
    }
}
