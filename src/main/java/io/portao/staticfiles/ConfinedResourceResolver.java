package io.portao.staticfiles;

import java.io.IOException;
import java.nio.file.Path;

import org.springframework.core.io.Resource;
import org.springframework.web.reactive.resource.PathResourceResolver;

/**
 * Spring's {@link PathResourceResolver} plus a check it does not make: a file found under a {@code file:} (or
 * exploded {@code classpath:}) location must still be inside that location once symbolic links are resolved.
 * Spring compares the paths as written, so a link inside the root pointing to {@code /etc} would be served.
 *
 * <p>Links that stay inside the root are followed, so a release directory swapped in by a link keeps working.
 * The real paths are computed on every request, not cached, because such a swap changes them at run time.
 * Resources inside a jar have no links and are left to Spring's check alone.
 */
final class ConfinedResourceResolver extends PathResourceResolver {

	@Override
	protected boolean checkResource(Resource resource, Resource location) throws IOException {
		if (!super.checkResource(resource, location)) {
			return false;
		}
		if (!resource.isFile() || !location.isFile()) {
			return true;
		}
		return isInside(resource.getFile().toPath(), location.getFile().toPath());
	}

	static boolean isInside(Path file, Path root) {
		try {
			return file.toRealPath().startsWith(root.toRealPath());
		}
		catch (IOException ex) {
			// A dangling link or a file deleted meanwhile: nothing to serve.
			return false;
		}
	}

}
