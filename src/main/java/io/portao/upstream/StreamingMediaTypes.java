package io.portao.upstream;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;

/**
 * Spring Cloud Gateway's streaming media types ({@code spring.cloud.gateway.server.webflux.streaming-media-types},
 * as its {@code NettyWriteResponseFilter} reads them): a response of one of these is written and flushed buffer
 * by buffer. A {@code Content-Type} is parsed only when it could be one (it starts like one, or a wildcard is
 * involved): {@code MediaType.parseMediaType} on every proxied response is not free.
 */
public final class StreamingMediaTypes {

	private final List<MediaType> types;

	private final boolean anyWildcard;

	/** {@code type/subtype} of each. */
	private final List<String> prefixes;

	public StreamingMediaTypes(List<MediaType> types) {
		this.types = List.copyOf(types);
		this.anyWildcard = this.types.stream().anyMatch(type -> type.isWildcardType() || type.isWildcardSubtype());
		this.prefixes = this.types.stream().map(type -> type.getType() + "/" + type.getSubtype()).toList();
	}

	/** Whether a response of {@code contentType} streams. */
	public boolean includes(@Nullable String contentType) {
		if (contentType == null || (!this.anyWildcard && contentType.indexOf('*') < 0
				&& !startsLikeOne(contentType.stripLeading()))) {
			return false;
		}
		try {
			MediaType mediaType = MediaType.parseMediaType(contentType);
			for (MediaType type : this.types) {
				if (type.isCompatibleWith(mediaType)) {
					return true;
				}
			}
			return false;
		}
		catch (RuntimeException ex) {
			// As the gateway's filter: an unparsable type is not a streaming one.
			return false;
		}
	}

	private boolean startsLikeOne(String contentType) {
		for (String prefix : this.prefixes) {
			if (contentType.regionMatches(true, 0, prefix, 0, prefix.length())) {
				return true;
			}
		}
		return false;
	}

}
