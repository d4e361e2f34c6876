package dev.bigsegments.deploycheck;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates rendered Kubernetes manifests offline, the way {@code kubeconform -strict} does: every object
 * against the schema of its kind, rejecting unknown fields, missing required fields and unknown kinds.
 * Usage: {@code ManifestValidator FILE...} (multi-document YAML, e.g. the output of {@code kubectl kustomize});
 * exits 1 when any object is invalid.
 */
public final class ManifestValidator {
    private ManifestValidator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: ManifestValidator FILE...");
            System.exit(2);
        }
        int objects = 0;
        List<String> errors = new ArrayList<>();
        for (String arg : args) {
            for (Manifests.Document doc : Manifests.read(Path.of(arg))) {
                objects++;
                SchemaValidator.validate(doc.object()).ifPresent(e -> errors.add(doc.describe() + ": " + e));
            }
        }
        errors.forEach(System.err::println);
        System.out.printf("manifests: %d objects in %d files checked, %d invalid%n", objects, args.length,
                errors.size());
        if (!errors.isEmpty() || objects == 0) {
            System.exit(1);
        }
    }
}
