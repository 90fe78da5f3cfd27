package io.controlcenter.sse;

import java.util.List;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * The {@code sse:} component: {@code to: "sse:{{sse.path}}"} pushes the exchange's body (an {@link SseMessage} or a
 * list of them, in order) to every dashboard connected to {@code GET <path>}, the stream the {@link SseHub} serves
 * (through the {@link SsePublisher} bound, with several instances). The endpoint's name is that path, so a route shows
 * where its messages go.
 */
@Component("sse")
public class SseComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        SseHub hub = getCamelContext().getRegistry().lookupByNameAndType(SseHub.BEAN_NAME, SseHub.class);
        if (hub == null) {
            throw new IllegalStateException("sse: needs the SSE hub (bean " + SseHub.BEAN_NAME + "), which "
                    + "io.controlcenter.sse.SseConfiguration binds");
        }
        String path = remaining.startsWith("/") ? remaining : "/" + remaining;
        if (!path.equals(hub.getSettings().path())) {
            throw new IllegalArgumentException(uri + ": the event stream is served at " + hub.getSettings().path()
                    + " (sse.path); write sse:{{sse.path}}");
        }
        SsePublisher publisher = getCamelContext().getRegistry().lookupByNameAndType(SsePublisher.BEAN_NAME,
                SsePublisher.class);
        return new SseEndpoint(uri, this, hub, publisher != null ? publisher : hub::broadcast);
    }

    /** The dashboards' event stream at one path: a producer only. */
    static final class SseEndpoint extends DefaultEndpoint {

        private final SseHub hub;
        private final SsePublisher publisher;

        SseEndpoint(String uri, SseComponent component, SseHub hub, SsePublisher publisher) {
            super(uri, component);
            this.hub = hub;
            this.publisher = publisher;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                @SuppressWarnings("unchecked")
                public void process(Exchange exchange) {
                    Object body = exchange.getMessage().getBody();
                    if (body instanceof List<?> messages) {
                        publisher.publish((List<SseMessage>) messages);
                    } else if (body instanceof SseMessage message) {
                        publisher.publish(List.of(message));
                    } else if (body != null) {
                        throw new IllegalArgumentException(getEndpointUri() + " pushes SseMessage bodies, not "
                                + body.getClass().getName());
                    }
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException(getEndpointUri() + ": dashboards connect with GET "
                    + hub.getSettings().path() + "; routes only send to it");
        }
    }
}
