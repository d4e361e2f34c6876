package dev.bigsegments.deploycheck;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import java.io.IOException;
import java.util.Set;

/**
 * Strict schemas for the custom resources the manifests use, which the Kubernetes spec does not cover:
 * the Prometheus Operator's {@code monitoring.coreos.com/v1 ServiceMonitor}. Field sets are those of the
 * operator's v1 API types (ServiceMonitorSpec, Endpoint, NamespaceSelector, RelabelConfig); nested
 * Kubernetes types (metadata, label selectors, secret references) use the Kubernetes schemas.
 */
final class CustomResourceSchemas {
    static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
    static final Set<String> SERVICE_MONITOR_SPEC = Set.of("attachMetadata", "bodySizeLimit",
            "convertClassicHistogramsToNHCB", "endpoints", "fallbackScrapeProtocol", "jobLabel",
            "keepDroppedTargets", "labelLimit", "labelNameLengthLimit", "labelValueLengthLimit",
            "namespaceSelector", "nativeHistogramBucketLimit", "nativeHistogramMinBucketFactor",
            "podTargetLabels", "sampleLimit", "scrapeClass", "scrapeClassicHistograms", "scrapeNativeHistograms",
            "scrapeProtocols", "selector", "selectorMechanism", "serviceDiscoveryRole", "targetLabels",
            "targetLimit");
    static final Set<String> ENDPOINT = Set.of("authorization", "basicAuth", "bearerTokenFile",
            "bearerTokenSecret", "filterRunning", "followRedirects", "honorLabels", "honorTimestamps", "interval",
            "metricRelabelings", "noProxy", "params", "path", "port", "proxyConnectHeader", "proxyFromEnvironment",
            "proxyUrl", "relabelings", "scheme", "scrapeTimeout", "targetPort", "tlsConfig",
            "trackTimestampsStaleness");
    static final Set<String> NAMESPACE_SELECTOR = Set.of("any", "matchNames");
    static final Set<String> RELABEL_CONFIG = Set.of("action", "modulus", "regex", "replacement", "separator",
            "sourceLabels", "targetLabel");

    private CustomResourceSchemas() {
    }

    static void validate(JsonObject object, String group, String version, String kind) {
        if (!"monitoring.coreos.com".equals(group) || !"v1".equals(version) || !"ServiceMonitor".equals(kind)) {
            throw new IllegalArgumentException("no schema for " + group + "/" + version + " " + kind);
        }
        try {
            serviceMonitor(object);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static void serviceMonitor(JsonObject object) throws IOException {
        fields(object, TOP, "ServiceMonitor");
        V1ObjectMeta.validateJsonElement(required(object, "metadata", "ServiceMonitor"));
        JsonObject spec = object(required(object, "spec", "ServiceMonitor"), "ServiceMonitor.spec");
        fields(spec, SERVICE_MONITOR_SPEC, "ServiceMonitorSpec");
        V1LabelSelector.validateJsonElement(required(spec, "selector", "ServiceMonitorSpec"));
        if (spec.has("namespaceSelector")) {
            fields(object(spec.get("namespaceSelector"), "namespaceSelector"), NAMESPACE_SELECTOR,
                    "NamespaceSelector");
        }
        JsonArray endpoints = spec.has("endpoints") ? array(spec.get("endpoints"), "endpoints") : new JsonArray();
        for (JsonElement e : endpoints) {
            JsonObject endpoint = object(e, "Endpoint");
            fields(endpoint, ENDPOINT, "Endpoint");
            if (endpoint.has("bearerTokenSecret")) {
                V1SecretKeySelector.validateJsonElement(endpoint.get("bearerTokenSecret"));
            }
            for (String list : new String[] {"relabelings", "metricRelabelings"}) {
                if (endpoint.has(list)) {
                    for (JsonElement r : array(endpoint.get(list), list)) {
                        fields(object(r, "RelabelConfig"), RELABEL_CONFIG, "RelabelConfig");
                    }
                }
            }
        }
    }

    private static void fields(JsonObject o, Set<String> allowed, String type) {
        for (String field : o.keySet()) {
            if (!allowed.contains(field)) {
                throw new IllegalArgumentException("The field `" + field + "` is not defined in the `" + type
                        + "` properties");
            }
        }
    }

    private static JsonElement required(JsonObject o, String field, String type) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("The required field `" + field + "` is missing in `" + type + "`");
        }
        return e;
    }

    private static JsonObject object(JsonElement e, String what) {
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("`" + what + "` must be an object");
        }
        return e.getAsJsonObject();
    }

    private static JsonArray array(JsonElement e, String what) {
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException("`" + what + "` must be an array");
        }
        return e.getAsJsonArray();
    }
}
