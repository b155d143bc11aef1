package dev.browsers.operator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md, checked on the compiled main classes: dependencies flow from the adapters
 * to the lifecycle to the model, the lifecycle does no I/O, and the agent needs nothing but its own jars.
 */
class ArchitectureTest {
    static final String ROOT = "dev.browsers.operator";
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void theContractIsPlainJava() {
        classes()
                .that()
                .resideInAPackage(ROOT + ".model")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", ROOT + ".model")
                .because("the agent and every adapter import it, the agent on a class path of its own")
                .check(MAIN);
    }

    @Test
    void theLifecycleUsesOnlyJavaAndTheModel() {
        classes()
                .that()
                .resideInAPackage(ROOT + ".lifecycle")
                // Kubernetes' own data types (ObjectMeta, Condition) are part of the resource model: data, not a
                // client.
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", ROOT + ".lifecycle", ROOT + ".model..", "io.fabric8.kubernetes.api.model")
                .because("it is a pure state machine: no I/O, no Kubernetes client")
                .check(MAIN);
    }

    @Test
    void theOperatorCoreKnowsNoAdapter() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        ROOT + ".reconciler",
                        ROOT + ".dependent",
                        ROOT + ".lifecycle",
                        ROOT + ".model..",
                        ROOT + ".config")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".local", ROOT + ".api", ROOT + ".agent")
                .check(MAIN);
    }

    @Test
    void adaptersDoNotReachIntoTheOperatorCoreOrEachOther() {
        noClasses()
                .that()
                .resideInAnyPackage(ROOT + ".api", ROOT + ".local", ROOT + ".agent")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".reconciler", ROOT + ".dependent", ROOT + ".lifecycle")
                .check(MAIN);
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".api")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".local", ROOT + ".agent")
                .check(MAIN);
    }

    @Test
    void theAgentUsesOnlyItsOwnJars() {
        classes()
                .that()
                .resideInAPackage(ROOT + ".agent")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..",
                        "io.vertx.core..",
                        "io.netty..",
                        "com.fasterxml.jackson.core..",
                        ROOT + ".agent",
                        ROOT + ".model")
                .because("it runs in the session pod on the class path of pom.xml's agent-class-path execution")
                .check(MAIN);
    }

    @Test
    void localModeAndTheMockApiServerStayInLocal() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".local")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".local", "io.fabric8.kubernetes.client.server.mock..", "io.fabric8.mockwebserver..")
                .because("the cluster image is built without them (./mvnw package -Dcluster)")
                .check(MAIN);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }
}
