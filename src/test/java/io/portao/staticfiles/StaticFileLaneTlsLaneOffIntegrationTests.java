package io.portao.staticfiles;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/**
 * {@link StaticFileLaneTlsIntegrationTests} with the lanes off: every static request reaches the web stack, over
 * TLS and HTTP/2 too.
 */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class StaticFileLaneTlsLaneOffIntegrationTests extends StaticFileLaneTlsIntegrationTests {

	@Override
	boolean laneOn() {
		return false;
	}

}
