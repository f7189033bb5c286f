package io.portao.staticfiles;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/**
 * {@link StaticFilesIntegrationTests} with the lanes off: every static request takes the full Spring path, with the
 * same answers.
 */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class StaticFilesLaneOffIntegrationTests extends StaticFilesIntegrationTests {

}
