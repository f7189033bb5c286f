/**
 * The built-in demo configuration ({@code java -jar portao.jar} with no configuration of one's own): a few demo
 * instances on loopback, so the gateway has something to proxy.
 */
package io.portao.demo;
