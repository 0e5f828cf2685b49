package org.msglite.gui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The MVVM layering of STYLE.md, kept true as the dashboard grows. */
class ArchitectureTest {
    private static final JavaClasses GUI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.msglite.gui");

    @Test
    void viewModelsUseNoControlsOrScenes() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel").or().resideInAPackage("..view..")
                .and().haveSimpleNameNotEndingWith("View").and().haveSimpleNameNotEndingWith("Dialog")
                .and().doNotHaveSimpleName("Fxml").and().doNotHaveSimpleName("Formats").and().doNotHaveSimpleName("HistoryChart")
                .and().doNotHaveSimpleName("RememberedColumns")
                .and().areNotNestedClasses()
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.fxml..", "javafx.stage..",
                        "javafx.application..")
                .check(GUI);
    }

    @Test
    void theMonitorClientKnowsNothingOfJavaFx() {
        noClasses().that().resideInAPackage("org.msglite.gui.remote..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .check(GUI);
    }

    @Test
    void theDashboardReachesTheDaemonOnlyThroughTheMonitorAndTheEmbeddingEntryPoint() {
        noClasses().that().resideInAPackage("org.msglite.gui..").and().doNotHaveSimpleName("EmbeddedDaemon")
                .should().dependOnClassesThat().resideInAPackage("org.msglite.server..")
                .check(GUI);
    }
}
