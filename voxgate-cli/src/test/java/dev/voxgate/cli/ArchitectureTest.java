package dev.voxgate.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Dependencies point one way (docs: README "Layout"): the API knows nothing else, engines know
 * nothing of the server, and the server reaches engines only through the SPI and ServiceLoader.
 */
@Timeout(60)
class ArchitectureTest {
    private static final JavaClasses VOXGATE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")) // test helpers shared between modules
            .importPackages("dev.voxgate");

    @Test
    void apiDependsOnNothingElseOfVoxgate() {
        noClasses().that().resideInAPackage("dev.voxgate.api..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.voxgate.audio..", "dev.voxgate.server..",
                        "dev.voxgate.engine..", "dev.voxgate.cli..")
                .check(VOXGATE);
    }

    @Test
    void serverNeverImportsAnEngine() {
        noClasses().that().resideInAPackage("dev.voxgate.server..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.voxgate.engine..", "org.vosk..")
                .check(VOXGATE);
    }

    @Test
    void enginesNeverImportTheServerOrProtocols() {
        noClasses().that().resideInAPackage("dev.voxgate.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.voxgate.server..", "dev.voxgate.cli..",
                        "io.javalin..", "org.eclipse.jetty..")
                .check(VOXGATE);
    }

    @Test
    void audioAndItsDecodersNeverImportTheServerTheCliOrAnEngine() {
        noClasses().that().resideInAPackage("dev.voxgate.audio..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.voxgate.server..", "dev.voxgate.cli..",
                        "dev.voxgate.engine..", "io.javalin..", "org.eclipse.jetty..")
                .check(VOXGATE);
    }

    @Test
    void jobsNeverImportTheServerTheCliOrAnEngine() {
        noClasses().that().resideInAPackage("dev.voxgate.jobs..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.voxgate.server..", "dev.voxgate.cli..",
                        "dev.voxgate.engine..", "io.javalin..", "org.eclipse.jetty..")
                .check(VOXGATE);
    }

    @Test
    void decodersAreReachedOnlyThroughTheSpiAndServiceLoader() {
        noClasses().that().resideInAnyPackage("dev.voxgate.server..", "dev.voxgate.cli..", "dev.voxgate.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.voxgate.audio.ffmpeg..", "org.bytedeco..")
                .check(VOXGATE);
    }

    @Test
    void jettyWebSocketTypesStayInTheTransportPackage() {
        noClasses().that().resideInAPackage("dev.voxgate.server.session..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.eclipse.jetty..", "io.javalin..", "com.fasterxml.jackson..")
                .check(VOXGATE);
    }

    /** The session names failures by catalogue code; close codes and wire formats belong to the protocol adapters. */
    @Test
    void sessionsKnowNoProtocol() {
        noClasses().that().resideInAPackage("dev.voxgate.server.session..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("dev.voxgate.server.transport..", "dev.voxgate.server.openai..")
                .check(VOXGATE);
        noClasses().that().resideInAPackage("dev.voxgate.server.error..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("dev.voxgate.server.session..", "dev.voxgate.server.transport..",
                        "org.eclipse.jetty..")
                .check(VOXGATE);
    }
}
