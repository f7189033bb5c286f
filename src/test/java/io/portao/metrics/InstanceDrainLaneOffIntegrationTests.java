package io.portao.metrics;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/** {@link InstanceDrainIntegrationTests} with the lanes off: every request takes the full Spring Cloud Gateway path. */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class InstanceDrainLaneOffIntegrationTests extends InstanceDrainIntegrationTests {

}
