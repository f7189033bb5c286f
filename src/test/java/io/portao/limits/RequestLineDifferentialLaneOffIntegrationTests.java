package io.portao.limits;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/** {@link RequestLineDifferentialIntegrationTests} with the lanes off. */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class RequestLineDifferentialLaneOffIntegrationTests extends RequestLineDifferentialIntegrationTests {

}
