/**
 * {@code java -jar portao.jar check}, nginx's {@code -t}: the configuration checked as start-up would check it,
 * without binding a port, one {@code property: value (expected: ...)} line per problem. Also run by a reload before
 * it applies anything ({@code io.portao.reload}). Not on the request path.
 */
package io.portao.check;
