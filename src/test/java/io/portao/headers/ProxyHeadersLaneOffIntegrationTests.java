package io.portao.headers;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/** {@link ProxyHeadersIntegrationTests} with the lanes off: every request takes the full Spring Cloud Gateway path. */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class ProxyHeadersLaneOffIntegrationTests extends ProxyHeadersIntegrationTests {

}
