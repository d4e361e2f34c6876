package dev.bigsegments.deploycheck;

import java.util.ArrayList;
import java.util.List;

/**
 * Properties of the manifests that must not regress silently, checked across every object of a rendering
 * (and the operator Jobs): no pod mounts a Kubernetes API token ({@link ServiceAccountTokens}), health and
 * metrics are read on the management port only ({@link ManagementPort}), and only the store writer among
 * the services may reach the store ({@link StoreEgress}).
 */
final class HardeningRules {
    private HardeningRules() {
    }

    /** Every broken rule, one line each naming the object. */
    static List<String> check(List<Manifests.Document> documents) {
        List<Workload> workloads = Workload.in(documents);
        List<String> errors = new ArrayList<>();
        errors.addAll(ServiceAccountTokens.check(documents, workloads));
        errors.addAll(ManagementPort.check(documents, workloads));
        errors.addAll(StoreEgress.check(documents, workloads));
        return errors;
    }
}
