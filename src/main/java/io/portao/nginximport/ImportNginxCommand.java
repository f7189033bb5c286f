package io.portao.nginximport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar portao.jar import-nginx [-o FILE] NGINX_CONF…}: prints the Portão {@code application.yml} for an
 * nginx configuration, every directive it could not translate on standard error with its file and line.
 *
 * <p>Exit codes: 0 when the translation is complete (notes only), 1 when something was not translated, 2 when the
 * files cannot be read or nginx itself would refuse them. Runs without starting Spring: it reads files and prints.
 */
public final class ImportNginxCommand {

	/** The subcommand's name, the jar's first argument. */
	public static final String NAME = "import-nginx";

	static final String USAGE = "usage: java -jar portao.jar import-nginx [-o application.yml] "
			+ "nginx.conf|conf.d/site.conf…";

	private ImportNginxCommand() {
	}

	/** Runs the command with the arguments after its name; returns the exit code. */
	public static int run(List<String> args, PrintStream out, PrintStream err) {
		List<Path> files = new ArrayList<>();
		Path output = null;
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (arg.equals("-h") || arg.equals("--help")) {
				out.println(USAGE);
				return 0;
			}
			if (arg.equals("-o") && i + 1 < args.size()) {
				output = Path.of(args.get(++i));
			}
			else if (arg.startsWith("-")) {
				err.println("import-nginx: unknown option " + arg + "\n" + USAGE);
				return 2;
			}
			else {
				files.add(Path.of(arg));
			}
		}
		if (files.isEmpty()) {
			err.println(USAGE);
			return 2;
		}
		return translate(files, output, out, err);
	}

	private static int translate(List<Path> files, Path output, PrintStream out, PrintStream err) {
		Importer.Result result;
		try {
			result = new Importer().translate(files);
		}
		catch (NoSuchFileException ex) {
			err.println("import-nginx: cannot read " + ex.getFile());
			return 2;
		}
		catch (IOException ex) {
			err.println("import-nginx: cannot read: " + ex.getMessage());
			return 2;
		}
		catch (ConfigSyntaxException ex) {
			err.println("import-nginx: " + ex.getMessage());
			return 2;
		}
		catch (RuntimeException ex) {
			// A configuration this translator did not foresee: one line, never a stack trace.
			err.println("import-nginx: cannot translate these files (" + ex + "); please report it with the files");
			return 2;
		}
		result.report().lines().forEach(err::println);
		try {
			if (output != null) {
				Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
			}
			else {
				out.print(result.yaml());
				out.flush();
			}
		}
		catch (IOException ex) {
			err.println("import-nginx: cannot write " + output + ": " + ex.getMessage());
			return 2;
		}
		Report report = result.report();
		if (report.complete()) {
			err.println("import-nginx: translation complete");
			return 0;
		}
		err.println("import-nginx: incomplete, " + report.warnings() + " directive(s) not translated (warnings above)");
		return 1;
	}

}
