/**
 * Files from disk as nginx serves them: several locations, each with its caching rule ({@code expires max} on a
 * query string, a fixed max-age, the version check, or none), nginx's ETag and MIME types, and the static lane that
 * writes plain files ahead of Spring's HTTP adapter.
 */
package io.portao.staticfiles;
