package io.portao.headers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import io.netty.util.NetUtil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedProxyAddressesTests {

	private static TrustedProxyAddresses trusting(String... blocks) {
		return new TrustedProxyAddresses(List.of(blocks).stream().map(Cidr::parse).toList());
	}

	private static byte[] ip(String text) {
		return NetUtil.createByteArrayFromIpAddressString(text);
	}

	@Test
	void cidrBlocksMatchIpv4AndIpv6() {
		TrustedProxyAddresses trusted = trusting("10.0.0.0/8", "192.168.1.7", "fd00::/8", "172.16.0.0/12");
		assertThat(trusted.trusts(ip("10.255.0.1"))).isTrue();
		assertThat(trusted.trusts(ip("11.0.0.1"))).isFalse();
		assertThat(trusted.trusts(ip("192.168.1.7"))).isTrue();
		assertThat(trusted.trusts(ip("192.168.1.8"))).isFalse();
		assertThat(trusted.trusts(ip("fd12::1"))).isTrue();
		assertThat(trusted.trusts(ip("fe80::1"))).isFalse();
		assertThat(trusted.trusts(ip("172.31.255.255"))).isTrue();
		assertThat(trusted.trusts(ip("172.32.0.0"))).isFalse();
	}

	@Test
	void nobodyIsTrustedByDefault() {
		assertThat(trusting().any()).isFalse();
		assertThat(trusting().trusts(ip("127.0.0.1"))).isFalse();
	}

	@Test
	void clientIsTheRightmostUntrustedAddressLikeNginxRealIpRecursive() {
		TrustedProxyAddresses trusted = trusting("10.0.0.0/8");
		assertThat(trusted.clientBehind("10.0.0.1", List.of("6.6.6.6, 1.2.3.4, 10.0.0.9"))).isEqualTo("1.2.3.4");
		assertThat(trusted.clientBehind("10.0.0.1", List.of("6.6.6.6", "1.2.3.4"))).isEqualTo("1.2.3.4");
		assertThat(trusted.clientBehind("10.0.0.1", List.of("10.0.0.3, 10.0.0.2"))).isEqualTo("10.0.0.3");
		assertThat(trusted.clientBehind("10.0.0.1", List.of("2001:db8:0:0::1"))).isEqualTo("2001:db8::1");
		assertThat(trusted.clientBehind("10.0.0.1", null)).isEqualTo("10.0.0.1");
	}

	@Test
	void aGarbageEntryStopsTheWalkAtTheLastGoodAddress() {
		TrustedProxyAddresses trusted = trusting("10.0.0.0/8");
		assertThat(trusted.clientBehind("10.0.0.1", List.of("1.2.3.4, evil, 10.0.0.5"))).isEqualTo("10.0.0.5");
		assertThat(trusted.clientBehind("10.0.0.1", List.of("evil.example"))).isEqualTo("10.0.0.1");
	}

	@Test
	void propertyDefaultsToEmptyAndRefusesWhatIsNotABlock() {
		Binder empty = new Binder(new MapConfigurationPropertySource(Map.of()));
		assertThat(empty.bindOrCreate("portao", Bindable.of(TrustedProxiesProperties.class)).trustedProxies()).isEmpty();
		assertThat(empty.bindOrCreate("portao", Bindable.of(TrustedProxiesProperties.class)).sendXForwardedFor()).isFalse();
		Binder bad = new Binder(new MapConfigurationPropertySource(
				Map.of("portao.trusted-proxies[0]", "10.0.0.0/8", "portao.trusted-proxies[1]", "10.0.0.0/33")));
		assertThatThrownBy(() -> bad.bindOrCreate("portao", Bindable.of(TrustedProxiesProperties.class))).rootCause()
			.hasMessage("portao.trusted-proxies[1]: '10.0.0.0/33' (expected: an IPv4 or IPv6 address or CIDR block, "
					+ "e.g. 10.0.0.0/8 or fd00::/8)");
		Binder regex = new Binder(new MapConfigurationPropertySource(Map.of("portao.trusted-proxies", "10\\..*")));
		assertThatThrownBy(() -> regex.bindOrCreate("portao", Bindable.of(TrustedProxiesProperties.class)))
			.rootCause()
			.hasMessageStartingWith("portao.trusted-proxies[0]: '10\\..*'");
	}

	@Test
	void aReloadedListIsTrustedFromTheNextRequestAndABadOneKeepsTheRunningList() {
		TrustedProxyAddresses trusted = trusting();
		Map<String, Object> file = new HashMap<>();
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("file", file));
		TrustedProxiesReload reload = new TrustedProxiesReload(trusted, environment);
		assertThat(trusted.any()).isFalse();

		file.put("portao.trusted-proxies[0]", "10.0.0.0/8");
		reload.onApplicationEvent(new EnvironmentChangeEvent(Set.of("portao.trusted-proxies[0]")));
		assertThat(trusted.trusts(ip("10.1.2.3"))).isTrue();

		file.put("portao.trusted-proxies[0]", "not-an-address");
		reload.onApplicationEvent(new EnvironmentChangeEvent(Set.of("portao.trusted-proxies[0]")));
		assertThat(trusted.trusts(ip("10.1.2.3"))).as("the running list stays").isTrue();
		assertThat(reload.applies("portao.trusted-proxies[3]")).isTrue();
		assertThat(reload.applies("portao.trusted-proxies-x")).isFalse();
	}

}
