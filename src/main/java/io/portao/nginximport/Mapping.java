package io.portao.nginximport;

import java.util.Map;
import java.util.Set;

/** Which nginx directives need nothing in Portão's configuration, and why (one reason per group). */
final class Mapping {

	/**
	 * nginx's process model, its buffers and hash tables, and behaviour that is Portão's default: nothing to
	 * configure, nothing lost.
	 */
	static final Set<String> IMPLIED = Set.of(
			// One JVM with event loops instead of master and workers.
			"user", "worker_processes", "worker_connections", "worker_rlimit_nofile", "worker_cpu_affinity", "pid",
			"use", "multi_accept", "accept_mutex", "daemon", "master_process", "thread_pool", "pcre_jit",
			// Static files are sent with zero-copy transfer (sendfile) and flushed by Netty.
			"sendfile", "tcp_nopush", "tcp_nodelay", "aio", "directio", "output_buffers", "sendfile_max_chunk",
			// Hash tables and buffer sizes of nginx's own structures.
			"server_names_hash_bucket_size", "server_names_hash_max_size", "types_hash_max_size",
			"types_hash_bucket_size", "variables_hash_max_size", "variables_hash_bucket_size",
			"map_hash_bucket_size", "client_header_buffer_size", "client_body_buffer_size",
			"proxy_headers_hash_max_size", "proxy_headers_hash_bucket_size",
			// Proxied bodies stream both ways without temp files; HTTP/1.1 keep-alive to instances is the default.
			"proxy_buffering", "proxy_request_buffering", "proxy_buffer_size", "proxy_buffers",
			"proxy_busy_buffers_size", "proxy_max_temp_file_size", "proxy_temp_file_write_size", "proxy_http_version",
			"proxy_temp_path", "client_body_temp_path", "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path",
			"client_body_in_file_only", "client_body_in_single_buffer",
			// Pooled, kept-alive connections to instances are the default; the pool is per instance.
			"keepalive", "zone",
			// HTTP/2 is offered with ALPN on the TLS port by default; the JDK keeps its own session cache.
			"http2", "ssl_session_cache", "ssl_session_timeout", "ssl_session_tickets", "ssl_prefer_server_ciphers",
			"ssl_buffer_size",
			// Portão never names itself in a Server header.
			"server_tokens");

	/** Directives read for the whole gateway (Portão has one setting where nginx may have one per location). */
	static final Set<String> GLOBAL = Set.of("keepalive_timeout", "client_header_timeout", "client_body_timeout",
			"client_max_body_size", "large_client_header_buffers", "access_log", "log_format", "error_log",
			"set_real_ip_from", "real_ip_header", "real_ip_recursive", "default_type", "index");

	/** Directives of a {@code server} block read by {@link ServerSelection}. */
	static final Set<String> SERVER = Set.of("listen", "server_name", "ssl", "ssl_certificate", "ssl_certificate_key",
			"ssl_protocols", "ssl_client_certificate", "ssl_verify_client", "ssl_trusted_certificate", "return");

	/** Directives of a {@code location} (or inherited into one) read by {@link Routes}. */
	static final Set<String> LOCATION = Set.of("proxy_pass", "proxy_set_header", "proxy_pass_header",
			"proxy_hide_header", "proxy_redirect", "proxy_next_upstream", "proxy_next_upstream_tries",
			"proxy_next_upstream_timeout", "proxy_connect_timeout", "proxy_read_timeout", "root", "alias",
			"expires", "add_header", "return", "client_max_body_size", "index");

	/** Why some common directives have no equivalent, for a message more useful than "no equivalent". */
	static final Map<String, String> WHY = Map.ofEntries(
			Map.entry("gzip", "Portão does not compress (nginx compresses only non-proxied responses by default); "
					+ "server.compression.* would compress proxied ones too"),
			Map.entry("rewrite", "rewrite rules are not translated; use a RewritePath filter on the route"),
			Map.entry("try_files", "a Portão location is either static or proxied, with no fallback between them"),
			Map.entry("error_page", "Portão answers upstream faults with its own 502, 503 and 504"),
			Map.entry("limit_req", "Portão has no request rate limiting"),
			Map.entry("limit_conn", "Portão has no per-client connection limit"),
			Map.entry("auth_basic", "Portão does not authenticate clients"),
			Map.entry("auth_request", "Portão does not authenticate clients"),
			Map.entry("allow", "Portão has no address-based access control"),
			Map.entry("deny", "Portão has no address-based access control"),
			Map.entry("proxy_cache", "Portão does not cache responses"),
			Map.entry("ssl_ciphers", "nginx names OpenSSL cipher suites; set server.ssl.ciphers with the JDK's names"),
			Map.entry("proxy_send_timeout", "Portão has no timeout between two writes to an instance"),
			Map.entry("autoindex", "Portão never lists directories"),
			Map.entry("resolver", "instance host names are resolved by the JVM"),
			Map.entry("fastcgi_pass", "Portão proxies HTTP only"), Map.entry("uwsgi_pass", "Portão proxies HTTP only"),
			Map.entry("grpc_pass", "Portão proxies HTTP only"), Map.entry("scgi_pass", "Portão proxies HTTP only"));

	private Mapping() {
	}

	/** Why {@code name} is not translated. */
	static String why(String name) {
		for (String key = name; ; key = key.substring(0, key.lastIndexOf('_'))) {
			if (WHY.containsKey(key)) {
				return WHY.get(key);
			}
			if (key.indexOf('_') < 0) {
				return "no Portão equivalent";
			}
		}
	}

	/** Reports each of {@code directives} that no translator reads. */
	static void reportUnknown(Report report, java.util.List<Directive> directives) {
		for (Directive directive : directives) {
			String name = directive.name();
			if (!IMPLIED.contains(name) && !GLOBAL.contains(name) && !SERVER.contains(name) && !LOCATION.contains(name)) {
				report.untranslated(directive, why(name));
			}
		}
	}

	/** {@code include mime.types}: nginx's table is built into Portão (staticfiles.NginxMimeTypes). */
	static boolean isMimeTypes(String includePath) {
		return includePath.equals("mime.types") || includePath.endsWith("/mime.types");
	}

}
