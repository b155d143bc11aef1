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
import org.junit.jupiter.api.Test;

/**
 * The committed CRD (crds/ and the Helm chart's copy) must be what the build generates from the model.
 * Run with {@code -Dcrd.update=true} to rewrite the committed copies after changing the model.
 */
class CrdDriftIT {
    static final String FILE = "browsersessions.browsers.dev-v1.yml";
    static final Path GENERATED = Path.of("target/kubernetes", FILE);
    static final List<Path> COMMITTED =
            List.of(Path.of("crds", FILE), Path.of("helm/browser-operator/files/crds", FILE));
    /** kubectl shows columns in this order; the generator sorts them by JSON path. */
    static final List<String> COLUMN_ORDER = List.of("Phase", "Reason", "Expires", "Age", "Message");

    @Test
    void committedCrdsMatchTheGeneratedOne() throws IOException {
        String expected = render(Serialization.unmarshal(Files.readString(GENERATED), CustomResourceDefinition.class));
        for (Path committed : COMMITTED) {
            if (Boolean.getBoolean("crd.update")) {
                Files.createDirectories(committed.getParent());
                Files.writeString(committed, expected);
            }
            assertThat(committed)
                    .as("%s is stale: run ./mvnw verify -Dcrd.update=true and commit it", committed)
                    .hasContent(expected);
        }
    }

    static String render(CustomResourceDefinition crd) {
        crd.getSpec()
                .getVersions()
                .forEach(v -> v.getAdditionalPrinterColumns()
                        .sort(Comparator.comparing(
                                (CustomResourceColumnDefinition c) -> COLUMN_ORDER.indexOf(c.getName()))));
        return "# Generated from dev.browsers.operator.model.v1alpha1 by the build; do not edit.\n"
                + Serialization.asYaml(crd);
    }
}
