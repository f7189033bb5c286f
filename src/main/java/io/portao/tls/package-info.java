/**
 * TLS on the public port (nginx {@code listen 443; ssl on; ssl_certificate; ssl_certificate_key}).
 *
 * <p>The certificate, HTTP/2 and reload are Spring Boot's own, configured with its properties:
 * <pre>
 * server.ssl.bundle: web
 * spring.ssl.bundle.pem.web:
 *   reload-on-update: true
 *   keystore: { certificate: "file:/etc/gw/tls.crt", private-key: "file:/etc/gw/tls.key", verify-keys: true }
 * </pre>
 * {@code server.http2.enabled} (on in Portão's defaults) offers h2 through ALPN, HTTP/1.1 stays available. This
 * package adds only the optional plain-HTTP redirect port ({@code portao.tls.redirect-port}) and the start-up line
 * naming the engine: BoringSSL from netty-tcnative where its native library loads (the jar has it for Linux x86-64
 * and aarch64), else the JDK's {@code SSLEngine}.
 *
 * <p>How Boot 4.0.7 reloads ({@code FileWatcher}, {@code spring.ssl.bundle.watch.file.quiet-period}, default 10s:
 * the bundle is rebuilt once no file event has arrived for that long), as the tests in this package pin it:
 * <ul>
 * <li>Files rewritten in place, or replaced by a rename in the same directory: reloaded.</li>
 * <li>A Kubernetes Secret volume ({@code tls.crt -> ..data/tls.crt}, {@code ..data} swapped atomically): reloaded,
 * on every swap.</li>
 * <li>Files inside a directory that is itself a swapped symlink ({@code /etc/gw -> /etc/gw-v2}): <em>not</em>
 * reloaded until the old target directory changes, since only the link's target is watched, not the directory
 * holding the link. Point the properties at a real directory instead.</li>
 * <li>An unreadable new file: the error is logged and the current certificate keeps serving.</li>
 * <li>A new certificate next to the old key (files written one by one, slower than the quiet period): loaded as is
 * and every handshake fails until the key arrives, unless {@code keystore.verify-keys: true}, which rejects the
 * pair and keeps the current one. Hence the recommendation above.</li>
 * <li>Established connections keep their session; only new handshakes see the new certificate.</li>
 * </ul>
 *
 * <p>A separate management port inherits {@code server.ssl}; Portão's defaults set
 * {@code management.server.ssl.enabled: false} so that it stays plain HTTP on loopback.
 */
package io.portao.tls;
