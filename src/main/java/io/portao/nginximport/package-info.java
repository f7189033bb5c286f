/**
 * {@code java -jar portao.jar import-nginx}: an nginx configuration translated into Portão's YAML, with a report of
 * what was translated, what differs and what was refused. Not on the request path.
 */
package io.portao.nginximport;
