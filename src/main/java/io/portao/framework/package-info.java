/**
 * Every place where Portão replaces or bends a piece of Spring Cloud Gateway, Spring Boot, WebFlux or Reactor
 * Netty, each with what it replaces and why in its own Javadoc:
 * <ul>
 * <li>{@link io.portao.framework.LeanLoadBalancerClientFilter}: Spring Cloud Gateway's
 * {@code ReactiveLoadBalancerClientFilter}, its {@code filter()} rewritten (one balancer look-up per service, no
 * per-request lifecycle work when no lifecycle bean exists);</li>
 * <li>{@link io.portao.framework.EventLoopTimeoutRoutingFilter}, put in place of {@code NettyRoutingFilter}'s bean
 * by {@link io.portao.framework.EventLoopResponseTimeout}: the response timeout on the event loop, one client and
 * pool per event loop ({@link io.portao.framework.LoopAffineClients});</li>
 * <li>{@link io.portao.framework.CopyOnlyWhenNeeded}: Spring Cloud Gateway's four default header filters, swapped by
 * class for ones that copy the headers only when they change them;
 * {@link io.portao.framework.UniqueNameHeaders}: Spring's {@code HttpHeaders.forEach} without its copy of the
 * names;</li>
 * <li>{@link io.portao.framework.NoClientDefaultHeaders}: Reactor Netty's client default headers;</li>
 * <li>{@link io.portao.framework.AotLoadBalancerClientFactory}: Spring Cloud LoadBalancer's factory, whose child
 * contexts it builds under Spring AOT for upstream names the build did not know;</li>
 * <li>{@link io.portao.framework.CaseInsensitiveHosts}: the matcher of Spring Cloud Gateway's {@code Host}
 * predicate;</li>
 * <li>{@link io.portao.framework.LaneRequestTimer} (Boot's {@code http.server.requests} observation, recognised by
 * class name) and {@link io.portao.framework.SpringExchange} (Spring's request adapter): what the lanes need of
 * Spring's HTTP adapter, which they run ahead of.</li>
 * </ul>
 * The lanes themselves ({@code proxy.ProxyLane}, {@code staticfiles.StaticFileLane}) and the static handler
 * mapping are features built on public hooks (Reactor Netty's routes, a {@code HandlerMapping}); they stay with
 * their concern. {@code FrameworkVersionsTests} names every class here and fails when the framework versions they
 * were checked against change; {@code PackageRulesTests} keeps every bean post-processor and every subclass of a
 * Spring Cloud Gateway filter in this package.
 */
package io.portao.framework;
