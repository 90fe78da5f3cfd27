package io.controlcenter.sse;

import io.controlcenter.ops.Meters;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Creates the SSE hub at start-up (listed in {@code camel.main.configuration-classes}): binds it as {@code sseHub}
 * before the routes are created, and adds it as a Camel service once Camel's HTTP server has started, so it attaches
 * {@code GET /api/events} to that server's router and is stopped (ending the open streams) before the server is.
 */
public class SseConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        SseHub hub = new SseHub(SseSettings.load(context));
        hub.bindTo(Meters.registry(context));
        context.getRegistry().bind(SseHub.BEAN_NAME, SseHub.class, hub);
        // the embedded HTTP server is started while Camel is starting; this runs after that, before the route consumers
        context.addStartupListener((camel, alreadyStarted) -> {
            if (!camel.hasService(hub)) {
                camel.addService(hub, true, true);
            }
        });
    }
}
