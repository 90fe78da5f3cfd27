package io.controlcenter.api;

import io.controlcenter.config.StartException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.TCPServerBase;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;

/**
 * Refuses to start when Camel's HTTP server could not listen ({@code camel.server.host}:{@code camel.server.port} taken
 * by another program). Camel only logs that failure and starts anyway: Control Center then looked started while its
 * API, dashboard and health answered nothing, or whatever else held the port answered in its place (another Control
 * Center, whose fleet a client then saw as this one's).
 */
public class HttpPortCheck implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener((camel, alreadyStarted) -> {
            MainHttpServer main = camel.hasService(MainHttpServer.class);
            HttpServer server = main == null || main.getRouter() == null ? null : main.getRouter().getServer().getServer();
            // Vert.x's HttpServer says whether it listens only on its implementation (actualPort is the port asked for)
            if (server instanceof TCPServerBase tcp && !tcp.isListening()) {
                String where = main.getConfiguration().getBindHost() + ":" + main.getConfiguration().getBindPort();
                throw new StartException("HTTP: " + where + " is in use by another program, so Control Center cannot "
                        + "serve its API, dashboard and health there: stop that program, or set CC_PORT "
                        + "(camel.server.port) to a free port");
            }
        });
    }
}
