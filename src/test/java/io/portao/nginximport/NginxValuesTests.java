package io.portao.nginximport;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/** nginx's time and size syntax, and YAML scalars that read back as the same string. */
class NginxValuesTests {

	@Test
	void nginxTimes() {
		assertThat(NginxValues.time("60")).isEqualTo(Duration.ofSeconds(60));
		assertThat(NginxValues.time("1m30s")).isEqualTo(Duration.ofSeconds(90));
		assertThat(NginxValues.time("500ms")).isEqualTo(Duration.ofMillis(500));
		assertThat(NginxValues.time("2h")).isEqualTo(Duration.ofHours(2));
		assertThat(NginxValues.time("1d")).isEqualTo(Duration.ofDays(1));
		assertThat(NginxValues.time("soon")).isNull();
		assertThat(NginxValues.time("10x")).isNull();
	}

	@Test
	void springDurations() {
		assertThat(NginxValues.springDuration(Duration.ofSeconds(90))).isEqualTo("90s");
		assertThat(NginxValues.springDuration(Duration.ofMinutes(2))).isEqualTo("2m");
		assertThat(NginxValues.springDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(NginxValues.springDuration(Duration.ofDays(30))).isEqualTo("30d");
	}

	@Test
	void nginxSizes() {
		assertThat(NginxValues.springSize("10m")).isEqualTo("10MB");
		assertThat(NginxValues.springSize("512k")).isEqualTo("512KB");
		assertThat(NginxValues.springSize("1G")).isEqualTo("1GB");
		assertThat(NginxValues.springSize("1024")).isEqualTo("1024B");
		assertThat(NginxValues.springSize("lots")).isNull();
	}

	@Test
	void scalarsReadBackAsTheSameString() {
		for (String value : new String[] { "Path=/**", "lb://bapis", "127.0.0.1", "on", "yes", "3", "", "*.example.com",
				"a: b", "x #y", "it's", "- dash", "RewritePath=^/api/(?<rest>.*), /v2/$\\{rest}", "file:/var/www/" }) {
			String yaml = "k: " + PortaoYaml.scalar(value) + "\n";
			Map<String, Object> read = new Yaml().load(yaml);
			assertThat(read.get("k")).as(yaml).isEqualTo(value);
		}
	}

}
