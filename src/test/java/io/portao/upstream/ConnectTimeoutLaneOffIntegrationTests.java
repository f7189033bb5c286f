package io.portao.upstream;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/** {@link ConnectTimeoutIntegrationTests} with the lanes off: every request takes the full Spring Cloud Gateway path. */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class ConnectTimeoutLaneOffIntegrationTests extends ConnectTimeoutIntegrationTests {

}
