package io.portao.staticfiles;

import java.io.IOException;
import java.util.function.Function;

import org.springframework.core.io.Resource;

/**
 * nginx's strong {@code ETag} for a static file, {@code "<mtime seconds in hex>-<size in hex>"}
 * ({@code ngx_http_set_etag}), so that caches and clients keep their validators when nginx is replaced.
 */
final class NginxEtag implements Function<Resource, String> {

	@Override
	public String apply(Resource resource) {
		try {
			return format(resource.lastModified(), resource.contentLength());
		}
		catch (IOException ex) {
			// No validator rather than a wrong one; the resource is still served (as ResourceWebHandler does).
			return null;
		}
	}

	static String format(long lastModifiedMillis, long size) {
		return "\"" + Long.toHexString(lastModifiedMillis / 1000) + "-" + Long.toHexString(size) + "\"";
	}

}
