package io.portao.reload;

import java.util.List;

/**
 * The outcome of one reload, as {@code GET /actuator/reload} shows the last one.
 *
 * @param at ISO-8601 instant the reload ended
 * @param trigger what asked for it: {@code file}, {@code SIGHUP} or {@code endpoint}
 * @param result {@code applied}, {@code unchanged} or {@code refused}
 * @param problems the {@code check}'s lines when refused, else empty
 * @param changed the properties whose value changed, when applied
 * @param needRestart those of them that take effect only at the next start (ports, TLS, limits…)
 */
public record ReloadResult(String at, String trigger, String result, List<String> problems, List<String> changed,
		List<String> needRestart) {

	static final String APPLIED = "applied";

	static final String UNCHANGED = "unchanged";

	static final String REFUSED = "refused";

}
