package io.controlcenter.api;

import java.util.List;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A gateway taken out of {@code gateways} (a restart on the same database without it) leaves /api/agents,
 * /api/sessions, /api/presence and /api/gateways, and naming it is a 404; its history stays in the database.
 */
class RemovedGatewayTest extends TwoGatewaysTestSupport {

    private final String database = TestDatabase.create();

    @Test
    void aRemovedGatewayLeavesTheLiveViews() {
        String[] db = {"db.url", TestDatabase.url(database), "db.user", TestDatabase.USER, "db.password", TestDatabase.PASSWORD};
        startBoth(db);
        assertEquals(List.of("default", "lab"), field(list("/api/gateways"), "name"));
        app.close();

        app = ControlCenterApp.start(gateway, db);
        awaitConnected();
        assertEquals(List.of("default"), field(list("/api/gateways"), "name"));
        assertEquals(List.of("default"), field(agentsApi(), "gateway"));
        assertEquals(List.of("default"), field(list("/api/agents?includeGone=true"), "gateway"));
        assertEquals(List.of("default"), field(list("/api/sessions"), "gateway"));
        for (String path : List.of("/api/gateways/lab", "/api/agents?gateway=lab", "/api/sessions?gateway=lab",
                "/api/presence?gateway=lab", "/api/gateways/lab/agents/main")) {
            assertEquals(404, app.get(path).statusCode(), path);
        }
        assertEquals(1L, count("SELECT count(*) FROM agents WHERE gateway = 'lab'"), "lab's history was deleted");
        assertEquals(1L, count("SELECT count(*) FROM gateways WHERE name = 'lab' AND removed_at IS NOT NULL"));
    }

    @AfterEach
    void dropDatabase() {
        if (app != null) {
            app.close();
            app = null;
        }
        TestDatabase.drop(database);
    }
}
