package io.portao.staticfiles;

import org.springframework.test.context.TestPropertySource;

import io.portao.lane.LaneConfiguration;

/**
 * {@link StaticFileConnectionIntegrationTests} with the lanes off: Reactor Netty answers every request of the
 * connection, with the same order, keep-alive limit and idle timeout.
 */
@TestPropertySource(properties = LaneConfiguration.ENABLED + "=false")
class StaticFileConnectionLaneOffIntegrationTests extends StaticFileConnectionIntegrationTests {

}
