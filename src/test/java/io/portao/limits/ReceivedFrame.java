package io.portao.limits;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * A frame {@link Http2WireClient} received; fields a frame type does not have are 0 or {@code null}. For
 * {@code GOAWAY} the stream id is the last-stream-id, for {@code PING_ACK} the ping's data.
 */
record ReceivedFrame(String type, int streamId, long errorCode, Http2Headers headers, Http2Settings settings,
		boolean endStream, String debugData) {

	ReceivedFrame(String type, int streamId, long errorCode, Http2Headers headers, Http2Settings settings,
			boolean endStream) {
		this(type, streamId, errorCode, headers, settings, endStream, null);
	}

	@Override
	public String toString() {
		return this.type + "(" + this.streamId + ((this.errorCode != 0) ? ", error " + this.errorCode : "")
				+ ((status() != null) ? ", :status " + status() : "") + (this.endStream ? ", end" : "")
				+ ((this.settings != null) ? ", " + this.settings : "")
				+ ((this.debugData != null) ? ", \"" + this.debugData + "\"" : "") + ")";
	}

	boolean isReset(int stream) {
		return "RST_STREAM".equals(this.type) && this.streamId == stream;
	}

	String status() {
		return (this.headers != null && this.headers.status() != null) ? this.headers.status().toString() : null;
	}

}
