package io.controlcenter.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.LogCapture;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Editing routes/gateway.yaml, whose templates are the flow of every gateway, while running: the gateway's routes are
 * made again from the edited templates (the connection is re-established, as documented), and events flow through the
 * edited flow.
 */
class GatewayFlowReloadTest extends GatewayTestSupport {

    @TempDir
    Path routes;

    @Test
    void anEditedGatewayFlowIsRunForTheGatewayAgain() throws Exception {
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Path file = routes.resolve("gateway.yaml");
        String original = Files.readString(file);
        try (LogCapture log = new LogCapture()) {
            start("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml",
                    "camel.main.routes-reload-directory", routes.toString());
            awaitConnected();

            Files.writeString(file, original.replace("message: \"event ${header.OpenClawEvent} not handled\"",
                    "message: \"edited flow: event ${header.OpenClawEvent} not handled\"").replace("loggingLevel: DEBUG",
                    "loggingLevel: INFO"));
            await("reload logged", Duration.ofSeconds(15), () -> log.text().contains("Routes file " + file + " reloaded"));
            for (String route : List.of("gateway-frames-default", "gateway-events-default", "gateway-lifecycle-default")) {
                await(route + " started", Duration.ofSeconds(10),
                        () -> app.context().getRouteController().getRouteStatus(route) == ServiceStatus.Started);
            }
            awaitConnected();
            gateway.last().event("some.unknown.event", Map.of());
            await("the edited flow handles events", Duration.ofSeconds(10),
                    () -> log.text().contains("edited flow: event some.unknown.event not handled"));
            gateway.last().event("sessions.changed",
                    FakeFleet.sessionsChanged(FakeFleet.session("agent:main:edited", "main", System.currentTimeMillis()),
                            "patch", System.currentTimeMillis()));
            await("and stores them", Duration.ofSeconds(10), () -> !app.query(
                    "SELECT 1 FROM sessions WHERE session_key = 'agent:main:edited'").isEmpty());
            assertEquals("connected", app.gatewayStatus().get("state"));

            // a flow with a step Camel cannot create is rejected: the gateway's routes go on as they were
            String edited = Files.readString(file);
            Files.writeString(file, edited.replace("- to: direct:chat-event", "- to: \"nosuchcomponent:x\""));
            await("rejected", Duration.ofSeconds(15), () -> log.text().contains("Routes file " + file + " rejected"));
            for (String route : List.of("gateway-frames-default", "gateway-events-default", "gateway-lifecycle-default")) {
                await(route + " running", Duration.ofSeconds(10),
                        () -> app.context().getRouteController().getRouteStatus(route) == ServiceStatus.Started);
            }
            awaitConnected();
            gateway.last().event("another.unknown.event", Map.of());
            await("the last flow that loaded handles events", Duration.ofSeconds(10),
                    () -> log.text().contains("edited flow: event another.unknown.event not handled"));
        }
    }
}
