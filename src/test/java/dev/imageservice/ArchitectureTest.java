package dev.imageservice;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.imageservice.processing.ImageOperation;
import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.processing.operation.SwapChannels;

/**
 * The one-way imports between the rooms of the code: one core processor that knows nothing of
 * gRPC, HTTP or Dropwizard, thin transports that never reach into each other, and a client that
 * is not the server. Checked on the compiled main classes.
 */
@AnalyzeClasses(packages = "dev.imageservice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] TRANSPORTS_AND_FRAMEWORKS = {
        "io.grpc..", "com.google.protobuf..", "jakarta.ws.rs..", "javax.ws.rs..", "org.glassfish.jersey..",
        "org.eclipse.jetty..", "jakarta.servlet..", "javax.servlet..", "io.dropwizard..", "com.codahale.metrics..",
        "io.prometheus..", "com.fasterxml.jackson..",
    };

    @ArchTest
    static final ArchRule processingImportsNoTransportOrFramework = noClasses()
            .that().resideInAPackage("dev.imageservice.processing..")
            .should().dependOnClassesThat().resideInAnyPackage(TRANSPORTS_AND_FRAMEWORKS)
            .because("the processor is the core that every transport calls; it knows nothing of gRPC, HTTP or Dropwizard");

    @ArchTest
    static final ArchRule processingImportsNoOtherRoom = noClasses()
            .that().resideInAPackage("dev.imageservice.processing..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.imageservice", "dev.imageservice.config..",
                    "dev.imageservice.grpc..", "dev.imageservice.http..", "dev.imageservice.ops..",
                    "dev.imageservice.security..", "dev.imageservice.cli..")
            .because("transports, ops, config and the application depend on the processor, never the other way");

    @ArchTest
    static final ArchRule formatKnowsOnlyTheJdk = classes()
            .that().resideInAPackage("dev.imageservice.processing.format..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.imageservice.processing.format..", "java..")
            .because("reading headers needs bytes only; codecs and the pipeline build on it");

    @ArchTest
    static final ArchRule codecsDoNotKnowThePipeline = noClasses()
            .that().resideInAPackage("dev.imageservice.processing.codec..")
            .should().dependOnClassesThat().haveSimpleNameStartingWith("Pipeline")
            .orShould().dependOnClassesThat().haveSimpleNameStartingWith("Admission")
            .orShould().dependOnClassesThat().haveSimpleNameStartingWith("OperationPlan")
            .because("a codec turns bytes into pixels and back; planning, admission and the pipeline use codecs, not the reverse");

    @ArchTest
    static final ArchRule grpcDoesNotImportHttp = noClasses()
            .that().resideInAPackage("dev.imageservice.grpc..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.imageservice.http..", "jakarta.ws.rs..",
                    "org.glassfish.jersey..", "org.eclipse.jetty..", "jakarta.servlet..")
            .because("the transports are siblings: each converts, delegates to the processor and maps errors");

    @ArchTest
    static final ArchRule httpDoesNotImportGrpc = noClasses()
            .that().resideInAPackage("dev.imageservice.http..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.imageservice.grpc..", "io.grpc..")
            .because("the transports are siblings: each converts, delegates to the processor and maps errors");

    @ArchTest
    static final ArchRule cliUsesOnlyTheContractAndTheFormatProbe = noClasses()
            .that().resideInAPackage("dev.imageservice.cli..")
            .should().dependOnClassesThat(resideInAnyPackage("dev.imageservice", "dev.imageservice.grpc..",
                            "dev.imageservice.http..", "dev.imageservice.ops..", "dev.imageservice.processing..")
                    .and(not(resideInAPackage("dev.imageservice.grpc.proto..")))
                    .and(not(resideInAPackage("dev.imageservice.processing.format..")))
                    .and(not(resideInAPackage("dev.imageservice.processing.operation..")))
                    .and(not(type(OpenCvLibrary.class)))
                    .and(not(type(ImageOperation.class)))
                    .and(not(type(SwapChannels.class))))
            .because("the client and bench commands talk to a server through the wire contract; they share "
                    + "only the generated stubs, the header probe, the operations' syntax and the OpenCV loader");

    @ArchTest
    static final ArchRule onlyTheApplicationReadsConfig = noClasses()
            .that().resideOutsideOfPackages("dev.imageservice", "dev.imageservice.config..")
            .should().dependOnClassesThat().resideInAPackage("dev.imageservice.config..")
            .because("config.yml's factories build objects for the application's wiring; the objects they build "
                    + "never look back at the configuration");

    @ArchTest
    static final ArchRule configHoldsFactoriesOnly = classes()
            .that().resideInAPackage("dev.imageservice.config..")
            .and().areTopLevelClasses()
            .and().doNotHaveSimpleName("package-info")
            .should().haveSimpleNameEndingWith("Factory")
            .because("the config room holds config.yml's sections, one XxxFactory each");

    @ArchTest
    static final ArchRule configHoldsNoLogic = methods()
            .that().areDeclaredInClassesThat().resideInAPackage("dev.imageservice.config..")
            .and().arePublic()
            .should().haveNameMatching("(get|set|is|build)([A-Z].*)?")
            .because("a factory validates its section and builds its runtime object; the logic lives in what it builds");

    @ArchTest
    static final ArchRule transportsUseOnlyTheRequestsPartOfOps = noClasses()
            .that().resideInAnyPackage("dev.imageservice.grpc..", "dev.imageservice.http..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.imageservice.ops.metrics..",
                    "dev.imageservice.ops.health..", "dev.imageservice.ops.lifecycle..", "dev.imageservice.ops.status..",
                    "dev.imageservice.ops.logging..")
            .because("metrics, health and the lifecycle observe the transports from outside (decorators, "
                    + "interceptors, filters wired by the application); only request ids and traces travel with a call");

    @ArchTest
    static final ArchRule lifecycleSitsOnTopOfOps = noClasses()
            .that().resideInAPackage("dev.imageservice.ops..")
            .and().resideOutsideOfPackage("dev.imageservice.ops.lifecycle..")
            .should().dependOnClassesThat().resideInAPackage("dev.imageservice.ops.lifecycle..")
            .because("startup and shutdown drive health and metrics, never the other way");

    @ArchTest
    static final ArchRule metricsAndHealthAreSiblings = noClasses()
            .that().resideInAPackage("dev.imageservice.ops.metrics..")
            .should().dependOnClassesThat().resideInAPackage("dev.imageservice.ops.health..")
            .orShould().dependOnClassesThat().resideInAPackage("dev.imageservice.ops.status..")
            .because("metrics count what happens; health and the status page read them, not the reverse");

    @ArchTest
    static final ArchRule opsObservesTheTransportsWithoutImportingThem = noClasses()
            .that().resideInAnyPackage("dev.imageservice.ops.metrics..", "dev.imageservice.ops.requests..",
                    "dev.imageservice.ops.status..", "dev.imageservice.ops.logging..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.imageservice.grpc..", "dev.imageservice.http..")
            .because("metrics, request ids, the status page and log formats hook into gRPC and Jersey themselves; "
                    + "only the gRPC server's health check needs the server it checks");

    @ArchTest
    static final ArchRule opsCodeLivesInARoom = classes()
            .that().resideInAPackage("dev.imageservice.ops")
            .should().haveSimpleName("package-info")
            .because("ops is split by concern: metrics, health, lifecycle, requests, status, logging; "
                    + "a new class goes into the room it belongs to (a health check into ops.health)");
}
