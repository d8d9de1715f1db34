package dev.imageservice;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
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
            .should().dependOnClassesThat().resideInAnyPackage("dev.imageservice", "dev.imageservice.grpc..",
                    "dev.imageservice.http..", "dev.imageservice.ops..", "dev.imageservice.cli..")
            .because("transports, ops and the application depend on the processor, never the other way");

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
}
