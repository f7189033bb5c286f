package io.portao.staticfiles;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/**
 * {@link StaticFileLaneIntegrationTests} with the lanes off: every static request reaches the web stack, with the
 * same answers, log lines and metrics.
 */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class StaticFileLaneOffIntegrationTests extends StaticFileLaneIntegrationTests {

	@Override
	boolean laneOn() {
		return false;
	}

}
