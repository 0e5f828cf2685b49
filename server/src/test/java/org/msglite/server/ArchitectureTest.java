package org.msglite.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Dependencies point inward: the pure core knows nothing of sockets, threads or the layers around it. */
@AnalyzeClasses(packages = "org.msglite", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule pureCoreUsesNoIoThreadsOrOuterLayers = noClasses()
            .that().resideInAnyPackage("..server.protocol..", "..server.exchange..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "java.nio.channels..", "java.net..", "java.util.concurrent..", "java.util.logging..",
                    "..server.net..", "..server.line..", "..server.config..", "..server.http..", "..server.bus..",
                    "..server.monitor..", "org.msglite.client..", "picocli..")
            .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, System.class);

    @ArchTest
    static final ArchRule transportKnowsNoProtocol = noClasses()
            .that().resideInAPackage("..server.net..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "..server.protocol..", "..server.exchange..", "..server.line..", "..server.config..");

    /** The message bus is glue like the proxy: it reaches the exchange directly, never through another protocol. */
    @ArchTest
    static final ArchRule busTalksToTheExchangeNotToOtherProtocols = noClasses()
            .that().resideInAPackage("..server.bus..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "..server.line..", "..server.monitor..", "org.msglite.client..", "picocli..");

    @ArchTest
    static final ArchRule clientIsIndependentOfTheServer = noClasses()
            .that().resideInAPackage("org.msglite.client..")
            .should().dependOnClassesThat().resideInAPackage("org.msglite.server..");

    @ArchTest
    static final ArchRule commandLineClientUsesOnlyTheClient = noClasses()
            .that().resideInAPackage("org.msglite.cli..")
            .should().dependOnClassesThat().resideInAPackage("org.msglite.server..");

    @ArchTest
    static final ArchRule onlyTheEntryPointsWireLayersTogether = noClasses()
            .that().resideInAnyPackage("..server.protocol..", "..server.exchange..", "..server.net..", "..server.line..")
            .should().dependOnClassesThat().belongToAnyOf(MsgliteServer.class, Main.class);
}
