/**
 * Route predicates Spring Cloud Gateway lacks and nginx has: {@code PathRegex} (nginx's {@code location ~}) and
 * case-insensitive host names.
 */
package io.portao.routes;
