package io.controlcenter.api;

import java.util.List;

import io.controlcenter.gateway.Json;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards Camel's HTTP server (listed in {@code camel.main.configuration-classes}, configured before the server starts):
 * with {@code api.token} set, every request to {@code /api/*} and the management endpoints ({@code /observe/*}: health,
 * metrics, Jolokia) needs {@code Authorization: Bearer <token>}. Basic authentication with the token as password (any
 * user name) is accepted too, for Hawtio's connect form; under {@code /api/} a dashboard's session cookie
 * ({@link ApiSessions}, bound as {@code apiSessions}), which also serves the event stream; and {@code ?access_token=} on
 * the event stream, for an EventSource of another site, which cannot send headers. {@code /api/session} (the login)
 * is open. CORS is on only for the origins in {@code api.cors.origins}.
 */
public class ApiSecurity implements CamelConfiguration {

    static final List<String> GUARDED = List.of("/api/*", "/observe/*");
    private static final Logger LOG = LoggerFactory.getLogger(ApiSecurity.class);

    @Override
    public void configure(CamelContext context) {
        ApiSettings settings = ApiSettings.load(context);
        ApiSessions sessions = new ApiSessions(settings.token(), settings.sessionMaxAgeMs());
        context.getRegistry().bind("apiSessions", sessions);
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            return;
        }
        VertxPlatformHttpServerConfiguration http = server.getConfiguration();
        if (sessions.required()) {
            String ssePath = context.getPropertiesComponent().resolveProperty("sse.path").orElse("/api/events");
            AuthenticationConfig auth = http.getAuthenticationConfig();
            auth.setEnabled(true);
            for (String path : GUARDED) {
                AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
                entry.setPath(path);
                entry.setAuthenticationProviderFactory(vertx -> null);
                entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
                    @Override
                    public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T unused) {
                        return new TokenHandler(sessions, ssePath);
                    }
                });
                auth.getEntries().add(entry);
            }
        }
        if (!settings.corsOrigins().isEmpty()) {
            VertxPlatformHttpServerConfiguration.Cors cors = http.getCors();
            cors.setEnabled(true);
            // Camel's CORS handler allows any origin when the list is empty
            cors.setOrigins(settings.corsOrigins().contains("*") ? List.of() : settings.corsOrigins());
        }
        LOG.info("{}", settings);
    }

    /** Lets a request through when it carries the token; answers 401 otherwise, naming neither what was sent nor the token. */
    static final class TokenHandler implements AuthenticationHandler {

        private static final String REFUSED = Json.write(ApiErrors.body(
                "missing or wrong API token: send Authorization: Bearer <CC_API_TOKEN>", "UNAUTHORIZED"));

        private final ApiSessions sessions;
        private final String ssePath;

        TokenHandler(ApiSessions sessions, String ssePath) {
            this.sessions = sessions;
            this.ssePath = ssePath;
        }

        @Override
        public void handle(RoutingContext ctx) {
            HttpServerRequest request = ctx.request();
            String path = request.path();
            if (ApiSessions.PATH.equals(path)
                    || sessions.accepts(path, request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader(HttpHeaders.COOKIE))
                    || ssePath.equals(path) && request.getHeader(HttpHeaders.AUTHORIZATION) == null
                    && sessions.isToken(request.getParam("access_token"))) {
                ctx.next();
                return;
            }
            ctx.response().setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Bearer realm=\"control-center\"")
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(REFUSED);
        }
    }
}
