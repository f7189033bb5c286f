package io.portao.staticfiles;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/** {@link StaticFilesClasspathIntegrationTests} with the lanes off. */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class StaticFilesClasspathLaneOffIntegrationTests extends StaticFilesClasspathIntegrationTests {

}
