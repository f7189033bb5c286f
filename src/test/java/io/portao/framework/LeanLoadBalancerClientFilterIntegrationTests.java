package io.portao.framework;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.LoadBalancerServiceInstanceCookieFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend.Echo;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LeanLoadBalancerClientFilter} stands where Spring Cloud Gateway's {@link ReactiveLoadBalancerClientFilter}
 * stood: Spring's bean is not created, requests still go through the balancer to every instance, and a
 * {@link LoadBalancerLifecycle} bean still gets Spring's callbacks, with the request's cookies.
 */
@SpringBootTest(classes = { PortaoApplication.class, LeanLoadBalancerClientFilterIntegrationTests.Lifecycle.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class LeanLoadBalancerClientFilterIntegrationTests {

	static final FakeBackend a = FakeBackend.start("backend-a");

	static final FakeBackend b = FakeBackend.start("backend-b");

	static final List<String> calls = new CopyOnWriteArrayList<>();

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, a, b);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Lifecycle {

		@Bean
		LoadBalancerLifecycle<RequestDataContext, ResponseData, ServiceInstance> recordingLifecycle() {
			return new Recording();
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	List<GlobalFilter> globalFilters;

	@AfterAll
	static void stopBackends() {
		a.close();
		b.close();
	}

	@Test
	void springsFilterIsReplacedAndItsCookieFilterKept() {
		assertThat(this.globalFilters).noneMatch(filter -> filter.getClass() == ReactiveLoadBalancerClientFilter.class);
		assertThat(this.globalFilters).filteredOn(filter -> filter instanceof LeanLoadBalancerClientFilter)
			.singleElement()
			.extracting(filter -> ((LeanLoadBalancerClientFilter) filter).getOrder())
			.isEqualTo(ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER);
		assertThat(this.globalFilters).anyMatch(filter -> filter instanceof LoadBalancerServiceInstanceCookieFilter);
	}

	@Test
	void requestsAreBalancedAndTheLifecycleSeesEachOne() {
		GatewayClient client = new GatewayClient(this.port);
		Set<String> backends = new TreeSet<>();
		for (int i = 0; i < 4; i++) {
			calls.clear();
			HttpResponse<String> response = client
				.send(client.request("/lean/" + i).header("Cookie", "session=s" + i).build());
			assertThat(response.statusCode()).isEqualTo(200);
			Echo echo = Echo.parse(response.body());
			assertThat(echo.uri()).isEqualTo("/lean/" + i);
			backends.add(echo.backend());
			assertThat(calls).containsExactly("start", "startRequest " + echo.backend(),
					"complete SUCCESS 200 session=s" + i);
		}
		assertThat(backends).containsExactly("backend-a", "backend-b");
	}

	/** Records Spring's callbacks in order, with what each one is handed. */
	static final class Recording implements LoadBalancerLifecycle<RequestDataContext, ResponseData, ServiceInstance> {

		@Override
		public void onStart(Request<RequestDataContext> request) {
			calls.add("start");
		}

		@Override
		public void onStartRequest(Request<RequestDataContext> request, Response<ServiceInstance> response) {
			int port = response.getServer().getPort();
			calls.add("startRequest " + ((port == a.port()) ? a.name() : b.name()));
		}

		@Override
		public void onComplete(CompletionContext<ResponseData, ServiceInstance, RequestDataContext> completion) {
			String cookie = completion.getLoadBalancerRequest().getContext().getClientRequest().getCookies()
				.getFirst("session");
			calls.add("complete " + completion.status() + " " + completion.getClientResponse().getHttpStatus().value()
					+ " session=" + cookie);
		}

	}

}
