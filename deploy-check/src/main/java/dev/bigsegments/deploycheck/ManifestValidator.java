package dev.bigsegments.deploycheck;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates rendered Kubernetes manifests offline, the way {@code kubeconform -strict} does: every object
 * against the schema of its kind, rejecting unknown fields, missing required fields and unknown kinds; then
 * all the files' objects together against the {@link HardeningRules}.
 * Usage: {@code ManifestValidator FILE...} (multi-document YAML, e.g. the output of {@code kubectl kustomize});
 * exits 1 when any object is invalid or any rule is broken.
 */
public final class ManifestValidator {
    private ManifestValidator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: ManifestValidator FILE...");
            System.exit(2);
        }
        List<Manifests.Document> documents = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String arg : args) {
            for (Manifests.Document doc : Manifests.read(Path.of(arg))) {
                documents.add(doc);
                SchemaValidator.validate(doc.object()).ifPresent(e -> errors.add(doc.describe() + ": " + e));
            }
        }
        int invalid = errors.size();
        errors.addAll(HardeningRules.check(documents));
        errors.forEach(System.err::println);
        System.out.printf("manifests: %d objects in %d files checked, %d invalid, %d hardening rules broken%n",
                documents.size(), args.length, invalid, errors.size() - invalid);
        if (!errors.isEmpty() || documents.isEmpty()) {
            System.exit(1);
        }
    }
}
