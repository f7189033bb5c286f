package io.portao.staticfiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.util.StringUtils;

/**
 * The {@code Content-Type} nginx would send for a file: its {@code mime.types} table (shipped unchanged as
 * {@code io/portao/staticfiles/mime.types}) and {@code default_type application/octet-stream} for any other
 * extension. Spring's own table ({@code MediaTypeFactory}) is larger and disagrees on some extensions, so it is
 * never consulted.
 */
public final class NginxMimeTypes {

	/** nginx {@code default_type} in the reference {@code nginx.conf}. */
	public static final MediaType DEFAULT_TYPE = MediaType.APPLICATION_OCTET_STREAM;

	static final String TABLE = "io/portao/staticfiles/mime.types";

	private final Map<String, MediaType> byExtension;

	private NginxMimeTypes(Map<String, MediaType> byExtension) {
		this.byExtension = Map.copyOf(byExtension);
	}

	/** The table shipped with Portão. */
	public static NginxMimeTypes load() {
		Resource table = new ClassPathResource(TABLE);
		try (InputStream in = table.getInputStream()) {
			return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + TABLE, ex);
		}
	}

	/**
	 * Reads nginx's {@code types { <type> <ext>...; }} syntax. As in nginx, an extension listed twice keeps its
	 * last type.
	 */
	static NginxMimeTypes parse(String text) {
		Map<String, MediaType> types = new LinkedHashMap<>();
		for (String statement : withoutComments(text).split(";")) {
			String[] words = statement.replace("types", " ").replace('{', ' ').replace('}', ' ').trim().split("\\s+");
			if (words.length < 2) {
				continue;
			}
			MediaType type = MediaType.parseMediaType(words[0]);
			for (int i = 1; i < words.length; i++) {
				types.put(words[i].toLowerCase(Locale.ROOT), type);
			}
		}
		return new NginxMimeTypes(types);
	}

	private static String withoutComments(String text) {
		return text.replaceAll("(?m)#.*$", "");
	}

	/** Extension (lower case, no dot) to type, for {@code ResourceWebHandler.setMediaTypes}. */
	public Map<String, MediaType> byExtension() {
		return this.byExtension;
	}

	/** The type of a file named {@code filename}; {@link #DEFAULT_TYPE} if its extension is not listed. */
	public MediaType forFilename(String filename) {
		String extension = StringUtils.getFilenameExtension(filename);
		if (extension == null) {
			return DEFAULT_TYPE;
		}
		return this.byExtension.getOrDefault(extension.toLowerCase(Locale.ROOT), DEFAULT_TYPE);
	}

}
