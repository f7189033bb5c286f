/**
 * The access log (nginx {@code access_log}, its {@code combined} format and the {@code $upstream_*} variables): one
 * line per request, whichever path served it (the web stack through {@link io.portao.accesslog.AccessLogHttpHandler},
 * the lanes through {@link io.portao.accesslog.AccessLog}), written off the event loop by a bounded writer that drops
 * and counts lines rather than block. Properties: {@code portao.access-log.*}.
 */
package io.portao.accesslog;
