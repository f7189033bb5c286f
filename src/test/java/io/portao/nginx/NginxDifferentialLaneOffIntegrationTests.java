package io.portao.nginx;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/** {@link NginxDifferentialIntegrationTests} with the lanes off: the full Spring path answers as nginx does too. */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class NginxDifferentialLaneOffIntegrationTests extends NginxDifferentialIntegrationTests {

}
