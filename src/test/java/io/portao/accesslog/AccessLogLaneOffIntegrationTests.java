package io.portao.accesslog;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/** {@link AccessLogIntegrationTests} with the lanes off: every line is written around the web stack. */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class AccessLogLaneOffIntegrationTests extends AccessLogIntegrationTests {

}
