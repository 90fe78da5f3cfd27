package io.controlcenter.api;

import java.util.concurrent.TimeUnit;

import io.controlcenter.config.Settings;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Camel's HTTP server (API, dashboard, event stream, health) on several event loops: {@code http.event-loops},
 * by default as many as there are cores. Camel's server is one Vert.x {@code HttpServer}, and Vert.x handles every
 * connection of one server on the event loop it was started on: with 1,000 dashboards that one event loop did all
 * the event stream's writes (64 % of a core) while the other core's loop idled (RELIABILITY.md, slow dashboards).
 * More servers on the same host and port, each started on an event loop of its own, share the listening socket, and
 * Vert.x hands each new connection to the next event loop in turn (its "server sharing"); all of them use Camel's
 * router, so every path is served the same on each. With TLS configured on {@code camel.server} the server stays as
 * Camel made it (one event loop).
 */
public class HttpEventLoops implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEventLoops.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        int loops = new Settings(context.getPropertiesComponent(), "http.")
                .between("event-loops", Runtime.getRuntime().availableProcessors(), 1, 64);
        context.addStartupListener((camel, alreadyStarted) -> {
            MainHttpServer main = camel.hasService(MainHttpServer.class);
            if (loops > 1 && main != null && main.getRouter() != null) {
                camel.addService(new Servers(main.getRouter().getServer(), main.getConfiguration(), loops), true, true);
            }
        });
    }

    /** The servers besides Camel's, deployed as one verticle per event loop and closed when Camel stops. */
    static final class Servers extends ServiceSupport {

        private final VertxPlatformHttpServer camelServer;
        private final VertxPlatformHttpServerConfiguration configuration;
        private final int loops;
        private String deployment;

        Servers(VertxPlatformHttpServer camelServer, VertxPlatformHttpServerConfiguration configuration, int loops) {
            this.camelServer = camelServer;
            this.configuration = configuration;
            this.loops = loops;
        }

        @Override
        protected void doStart() throws Exception {
            HttpServer first = camelServer.getServer();
            if (first == null) {
                return;
            }
            if (configuration.getSslContextParameters() != null || configuration.isUseGlobalSslContextParameters()) {
                LOG.info("HTTP: TLS is configured on camel.server; served on one event loop (http.event-loops not "
                        + "applied)");
                return;
            }
            Handler<HttpServerRequest> router = first.requestHandler();
            String host = configuration.getBindHost();
            int port = first.actualPort();
            // one more server per event loop: Camel's own loop may be among them, so at least `loops` distinct ones
            try {
                deployment = camelServer.getVertx().deployVerticle(() -> new AbstractVerticle() {
                    @Override
                    public void start(Promise<Void> started) {
                        vertx.createHttpServer(new HttpServerOptions()).requestHandler(router).listen(port, host)
                                .<Void>mapEmpty().onComplete(started);
                    }
                }, new DeploymentOptions().setInstances(loops)).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                LOG.info("HTTP: {}:{} served on {} event loops (http.event-loops)", host, port, loops);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // Camel's own server still serves everything: run on it rather than not at all
                LOG.warn("HTTP: could not serve {}:{} on {} event loops ({}); served on one (set http.event-loops=1 "
                        + "to not try)", host, port, loops, String.valueOf(e.getCause() == null ? e : e.getCause()));
            }
        }

        @Override
        protected void doStop() throws Exception {
            if (deployment != null) {
                // closes the servers the verticles started; Camel's own closes with Camel's HTTP server
                camelServer.getVertx().undeploy(deployment).toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                deployment = null;
            }
        }
    }
}
