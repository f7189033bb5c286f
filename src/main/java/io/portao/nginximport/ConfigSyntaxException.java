package io.portao.nginximport;

import java.nio.file.Path;

/** A configuration nginx itself would refuse to read, named as nginx names it: {@code file:line: message}. */
final class ConfigSyntaxException extends RuntimeException {

	ConfigSyntaxException(Path file, int line, String message) {
		super(file.getFileName() + ":" + line + ": " + message);
	}

}
