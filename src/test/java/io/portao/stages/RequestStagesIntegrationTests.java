package io.portao.stages;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.server.WebFilter;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every filter of Portão takes its order from {@link RequestStages}, in the stages' order, and no two of one kind
 * share an order; the application runs with every optional filter on (the access log, the per-instance connection
 * limit, {@code X-Forwarded-For}).
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0", "portao.limits.max-connections-per-instance=64",
				"portao.send-x-forwarded-for=true" })
class RequestStagesIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("backend");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
	}

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Autowired
	ApplicationContext context;

	@Test
	void webFiltersRunInTheStagesOrder() {
		assertThat(portaos(WebFilter.class)).containsExactly("AttemptCompletionWebFilter", "ClientAddress",
				"AccessLogExchangeFilter", "RequestTargetFilter");
		assertThat(orders(WebFilter.class)).containsExactlyElementsOf(constants(RequestStages.Web.class));
	}

	@Test
	void gatewayFiltersRunInTheStagesOrder() {
		assertThat(portaos(GlobalFilter.class)).containsExactly("PreserveHostFilter", "NextUpstreamFilter",
				"LeanLoadBalancerClientFilter", "RawRequestTargetFilter", "InstanceConnectionLimitFilter",
				"InstanceAttemptFilter", "UpstreamAttemptLogFilter", "NoClientDefaultHeaders",
				"EventLoopTimeoutRoutingFilter");
		assertThat(orders(GlobalFilter.class)).containsExactlyElementsOf(constants(RequestStages.Gateway.class));
	}

	@Test
	void headerFiltersOfPortaoComeAfterSpringCloudGatewaysOwn() {
		// CopyOnlyWhenNeeded's wrappers stand in for Spring Cloud Gateway's own header filters and keep their orders:
		// they are not stages of Portão's, and are left out here.
		assertThat(portaos(HttpHeadersFilter.class)).containsExactly("ForwardedForHeadersFilter",
				"RealIpHeadersFilter");
		assertThat(orders(HttpHeadersFilter.class)).containsExactlyElementsOf(constants(RequestStages.Headers.class));
	}

	@Test
	void upstreamErrorsAreAnsweredBeforeBootsErrorHandler() {
		assertThat(orders(WebExceptionHandler.class)).containsExactly(RequestStages.Response.UPSTREAM_ERRORS);
	}

	@Test
	void withinEachKindNoTwoStagesShareAnOrder() {
		assertThat(RequestStages.class.getDeclaredClasses()).hasSizeGreaterThanOrEqualTo(6);
		for (Class<?> kind : RequestStages.class.getDeclaredClasses()) {
			List<Integer> orders = constants(kind);
			assertThat(orders).as(kind.getSimpleName()).isNotEmpty();
			assertThat(Set.copyOf(orders)).as(kind.getSimpleName()).hasSameSizeAs(orders);
			assertThat(orders).as(kind.getSimpleName() + ", in declaration order").isSorted();
		}
	}

	/** Portão's beans of {@code type} in the order Spring sorts them, by simple name. */
	private List<String> portaos(Class<?> type) {
		return sorted(type).stream().map(bean -> bean.getClass().getSimpleName()).toList();
	}

	private List<Integer> orders(Class<?> type) {
		return sorted(type).stream().map(RequestStagesIntegrationTests::order).toList();
	}

	private List<Object> sorted(Class<?> type) {
		return this.context.getBeansOfType(type)
			.values()
			.stream()
			.filter(bean -> bean.getClass().getName().startsWith("io.portao."))
			.filter(bean -> !bean.getClass().getName().contains("CopyOnlyWhenNeeded$"))
			.sorted(Comparator.comparingInt(RequestStagesIntegrationTests::order))
			.collect(Collectors.toCollection(ArrayList::new));
	}

	private static int order(Object bean) {
		if (bean instanceof Ordered ordered) {
			return ordered.getOrder();
		}
		Integer order = OrderUtils.getOrder(bean.getClass());
		return (order != null) ? order : Ordered.LOWEST_PRECEDENCE;
	}

	/** The {@code int} constants of one of {@link RequestStages}' kinds, in declaration order. */
	private static List<Integer> constants(Class<?> kind) {
		List<Integer> values = new ArrayList<>();
		for (Field field : kind.getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
				try {
					values.add(field.getInt(null));
				}
				catch (IllegalAccessException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		return values;
	}

}
