package dev.browsers.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs (crds/ and the Helm chart's copies) must be what the build generates from the model.
 * Run with {@code -Dcrd.update=true} to rewrite the committed copies after changing the model.
 */
class CrdDriftIT {
    static final String FILE = "browsersessions.browsers.dev-v1.yml";
    static final String POOL_FILE = "browserpools.browsers.dev-v1.yml";
    /** Each CRD file, with the order kubectl shows its columns in; the generator sorts them by JSON path. */
    static final Map<String, List<String>> FILES = Map.of(
            FILE, List.of("Phase", "Reason", "Expires", "Age", "Message"),
            POOL_FILE, List.of("Size", "Ready", "Starting", "Claimed", "Age"));

    @Test
    void committedCrdsMatchTheGeneratedOne() throws IOException {
        for (var file : FILES.entrySet()) {
            String expected = render(
                    Serialization.unmarshal(
                            Files.readString(Path.of("target/kubernetes", file.getKey())),
                            CustomResourceDefinition.class),
                    file.getValue());
            for (Path committed : List.of(
                    Path.of("crds", file.getKey()), Path.of("helm/browser-operator/files/crds", file.getKey()))) {
                if (Boolean.getBoolean("crd.update")) {
                    Files.createDirectories(committed.getParent());
                    Files.writeString(committed, expected);
                }
                assertThat(committed)
                        .as("%s is stale: run ./mvnw verify -Dcrd.update=true and commit it", committed)
                        .hasContent(expected);
            }
        }
    }

    static String render(CustomResourceDefinition crd, List<String> columnOrder) {
        crd.getSpec()
                .getVersions()
                .forEach(v -> v.getAdditionalPrinterColumns()
                        .sort(Comparator.comparing(
                                (CustomResourceColumnDefinition c) -> columnOrder.indexOf(c.getName()))));
        return "# Generated from dev.browsers.operator.model.v1alpha1 by the build; do not edit.\n"
                + Serialization.asYaml(crd);
    }
}
