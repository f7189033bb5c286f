/**
 * Files from disk as nginx serves them: several locations, each with its caching rule ({@code expires max} on a
 * query string, a fixed max-age, the version check, or none), nginx's ETag and MIME types, and the static lane that
 * writes plain files ahead of Spring's HTTP adapter: from Reactor Netty's routes, and on cleartext HTTP/1.1 from
 * the connection's pipeline ahead of Reactor Netty's HTTP handler ({@code StaticFileHandler}).
 */
package io.portao.staticfiles;
