package io.portao.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The dependencies between Portão's packages, as README's layout section describes them: choosing and failing over
 * between instances ({@code upstream}) knows nothing of who observes it or what else the gateway serves; header
 * and static-file handling stand alone; the commands ({@code check}, {@code import-nginx}) are not on the request
 * path; no two packages depend on each other.
 */
class PackageRulesTests {

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.portao");

	/** What serves or observes requests; the commands and the start-up checks are not among them. */
	private static final String[] REQUEST_PATH = { "io.portao.upstream..", "io.portao.proxy..", "io.portao.lane..",
			"io.portao.headers..", "io.portao.staticfiles..", "io.portao.limits..", "io.portao.accesslog..",
			"io.portao.routes..", "io.portao.errors..", "io.portao.tls..", "io.portao.metrics.." };

	@Test
	void upstreamDoesNotKnowWhatObservesItOrWhatElseIsServed() {
		noClasses().that()
			.resideInAPackage("io.portao.upstream..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.portao.metrics..", "io.portao.accesslog..", "io.portao.staticfiles..",
					"io.portao.tls..")
			.check(MAIN);
	}

	@Test
	void choosingAnInstanceKnowsOnlyCandidates() {
		noClasses().that()
			.resideInAPackage("io.portao.upstream.balancing..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.portao.upstream")
			.check(MAIN);
	}

	@Test
	void headersAndStaticFilesDoNotDependOnUpstream() {
		noClasses().that()
			.resideInAnyPackage("io.portao.headers..", "io.portao.staticfiles..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.portao.upstream..")
			.check(MAIN);
	}

	@Test
	void theCommandsAreNotOnTheRequestPath() {
		noClasses().that()
			.resideInAnyPackage(REQUEST_PATH)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.portao.check..", "io.portao.nginximport..")
			.check(MAIN);
	}

	@Test
	void noCyclesBetweenPackages() {
		// Each package its own slice, sub-packages too: upstream.balancing against upstream counts.
		slices().matching("io.portao.(**)").should().beFreeOfCycles().check(MAIN);
	}

	@Test
	void overridesOfTheFrameworksLiveInTheFrameworkPackage() {
		noClasses().that()
			.resideOutsideOfPackage("io.portao.framework..")
			.should()
			.beAssignableTo(BeanPostProcessor.class)
			.orShould()
			.beAssignableTo(GATEWAY_FILTER_CLASS)
			.check(MAIN);
	}

	/** A class (not an interface) of Spring Cloud Gateway's filters: extending one replaces or bends it. */
	private static final DescribedPredicate<JavaClass> GATEWAY_FILTER_CLASS = new DescribedPredicate<>(
			"a class of Spring Cloud Gateway's filters") {

		@Override
		public boolean test(JavaClass type) {
			return !type.isInterface() && type.getPackageName().startsWith("org.springframework.cloud.gateway.filter");
		}

	};

	@Test
	void everyPackageSaysWhatItOwnsAndReadmesLayoutNamesIt() throws IOException {
		Path root = Path.of("src/main/java/io/portao");
		List<String> packages;
		try (Stream<Path> dirs = Files.list(root)) {
			packages = dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
		}
		assertThat(packages).hasSizeGreaterThan(10);
		String readme = Files.readString(Path.of("README.md"));
		String layout = readme.substring(readme.indexOf("## Layout"));
		assertThat(packages).allSatisfy(name -> {
			assertThat(root.resolve(name).resolve("package-info.java")).as(name).isRegularFile();
			assertThat(layout).as("README's layout").contains("| `" + name + "` |");
		});
	}

	@Test
	void theRulesSeeTheWholeApplication() {
		// A rule over no classes passes: make sure the import found the packages the rules name.
		assertThat(MAIN.containPackage("io.portao.upstream")).isTrue();
		assertThat(MAIN.containPackage("io.portao.proxy")).isTrue();
	}

}
