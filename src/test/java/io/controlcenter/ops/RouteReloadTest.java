package io.controlcenter.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Editing a route file while running: the edit is live within seconds, the gateway connection stays up (the gateway
 * sees no new connection), and a file that does not load is rejected with a clear ERROR line while the routes keep
 * serving as they were.
 */
class RouteReloadTest extends GatewayTestSupport {

    private static final String NEW_ROUTE = """

            - route:
                id: api-routes-version
                from:
                  uri: "platform-http:/api/routes-version?httpMethodRestrict=GET"
                  steps:
                    - setBody:
                        constant: "%s"
            """;

    @TempDir
    Path routes;

    @Test
    void anEditedFileReloadsWithoutTouchingTheGatewayAndABrokenOneIsRejected() throws Exception {
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Path file = routes.resolve("api-fleet.yaml");
        String original = Files.readString(file);
        try (LogCapture log = new LogCapture()) {
            start("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml",
                    "camel.main.routes-reload-directory", routes.toString());
            awaitConnected();
            assertEquals(404, app.get("/api/routes-version").statusCode());

            Files.writeString(file, original + NEW_ROUTE.formatted("v2"));
            await("the edit is live", Duration.ofSeconds(15), () -> "v2".equals(app.get("/api/routes-version").body()));
            // logged once every route of the file is back, which may be a moment after the new one serves
            await("reload logged", Duration.ofSeconds(5), () -> log.text().contains("Routes file " + file + " reloaded"));
            assertEquals(200, app.get("/api/agents").statusCode(), "the file's other routes serve");

            // not YAML
            Files.writeString(file, original + NEW_ROUTE.formatted("v3") + "\n- route: [unclosed\n");
            await("rejected", Duration.ofSeconds(15), () -> log.text().contains("Routes file " + file + " rejected"));
            assertEquals("v2", app.get("/api/routes-version").body());
            assertEquals(200, app.get("/api/agents").statusCode());

            // YAML, but a step Camel cannot create: the old routes were already removed when that shows, and come back
            Files.writeString(file, original.replace("- setBody:\n            method:\n              ref: fleetStore",
                    "- to: \"nosuchcomponent:x\"\n        - setBody:\n            method:\n              ref: fleetStore")
                    + NEW_ROUTE.formatted("v4"));
            await("rejected twice", Duration.ofSeconds(15), () -> log.text().split("Routes file " + file + " rejected").length == 3);
            String rejection = log.text().lines().filter(l -> l.contains("rejected")).reduce((a, b) -> b).orElseThrow();
            assertTrue(rejection.contains("ERROR") && rejection.contains("nosuchcomponent"), rejection);
            await("restored", Duration.ofSeconds(5), () -> log.text().contains("Routes of " + file + " restored"));
            // the HTTP router takes the restored routes' endpoints a moment after the routes start
            await("serving again", Duration.ofSeconds(2), () -> app.get("/api/agents").statusCode() == 200);
            assertEquals("v2", app.get("/api/routes-version").body());

            assertEquals(1, gateway.connections.size(), "the gateway saw one connection throughout");
            assertEquals(0L, app.statusCount("reconnects"));
            assertEquals("connected", app.gatewayStatus().get("state"));
        }
    }
}
