package io.portao.tls;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/** {@link TlsIntegrationTests} with the lanes off: every request takes the full Spring Cloud Gateway path. */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class TlsLaneOffIntegrationTests extends TlsIntegrationTests {

}
