package io.portao.staticfiles;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/** {@link StaticFileLaneObservedIntegrationTests} with the lanes off: the web stack's observation, the reference. */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class StaticFileLaneObservedLaneOffIntegrationTests extends StaticFileLaneObservedIntegrationTests {

}
