package io.controlcenter.ops;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.TcpProxy;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liveness and readiness: readiness goes DOWN (503) with the reason while the database is unreachable, and UP again
 * when it is back; liveness stays UP (restarting the process would not bring the database back). The gateway's fatal
 * close making readiness DOWN with the gateway's reason is in ClosePolicyTest.
 */
class ReadinessTest extends GatewayTestSupport {

    @Test
    void readinessIsDownWithTheReasonWhileTheDatabaseIsUnreachable() throws Exception {
        String database = TestDatabase.create();
        try (TcpProxy proxy = new TcpProxy(TestDatabase.port())) {
            start("db.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database,
                    "db.user", TestDatabase.USER, "db.password", TestDatabase.PASSWORD);
            awaitConnected();
            assertEquals(200, app.get("/observe/health/ready").statusCode());
            assertEquals(200, app.get("/observe/health/live").statusCode());

            proxy.down();
            HttpResponse<String> ready = app.get("/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("PostgreSQL is unreachable"), ready.body());
            assertTrue(ready.body().contains("\"status\":\"DOWN\""), ready.body());
            assertFalse(ready.body().contains(TestDatabase.PASSWORD), "the password is not shown");
            assertEquals(200, app.get("/observe/health/live").statusCode(), "liveness does not depend on the database");

            proxy.up();
            await("ready again", Duration.ofSeconds(10), () -> app.get("/observe/health/ready").statusCode() == 200);
        }
    }
}
