package io.controlcenter.dashboard;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's web page on Camel's own HTTP server: {@code GET /} is {@code web/index.html} of the jar, and
 * {@code GET /ui/...} its scripts and styles ({@code web/ui/}), served by Vert.x's {@link StaticHandler} (content type
 * from the file name, {@code Last-Modified} and {@code ETag}, revalidated at every load so that a new version is never
 * hidden by a browser's cache). Every answer carries a Content-Security-Policy that lets the page run only its own
 * scripts and styles (no inline script, nothing from another site) and talk only to this server.
 */
public class DashboardPage extends ServiceSupport {

    /** The page's own files, and nothing else: the API and the management endpoints have their own routes. */
    static final String PATHS = "^/(ui/[A-Za-z0-9._/-]+)?$";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final Logger LOG = LoggerFactory.getLogger(DashboardPage.class);

    private final CamelContext camelContext;
    private Route route;

    public DashboardPage(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    protected void doStart() {
        MainHttpServer server = camelContext.hasService(MainHttpServer.class);
        VertxPlatformHttpRouter router = server == null ? null : server.getRouter();
        if (router == null) {
            LOG.warn("Dashboard: Camel's HTTP server is not running (camel.server.enabled); the page is not served");
            return;
        }
        StaticHandler files = StaticHandler.create("web").setIndexPage("index.html").setMaxAgeSeconds(0)
                .setDefaultContentEncoding("UTF-8").setDirectoryListing(false).setIncludeHidden(false);
        route = router.getWithRegex(PATHS).handler(DashboardPage::headers).handler(files);
        LOG.info("Dashboard: GET / (the page), GET /ui/* (its scripts and styles)");
    }

    @Override
    protected void doStop() {
        if (route != null) {
            route.remove();
            route = null;
        }
    }

    private static void headers(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        ctx.next();
    }
}
