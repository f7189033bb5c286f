package io.portao.proxy;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/** {@link StreamingIntegrationTests} with the lanes off: every request takes the full Spring Cloud Gateway path. */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class StreamingLaneOffIntegrationTests extends StreamingIntegrationTests {

}
