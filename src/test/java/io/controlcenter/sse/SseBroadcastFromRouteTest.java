package io.controlcenter.sse;

import java.time.Duration;
import java.util.List;

import io.controlcenter.support.SseStream;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Routes broadcast with {@code bean: {ref: sseHub, method: broadcast}}: a message, or a list of them, in order. */
class SseBroadcastFromRouteTest extends SseTestSupport {

    @Test
    void theBeanStepBroadcastsOneMessageOrAList() {
        start();
        SseStream client = connect("");
        ProducerTemplate template = app.context().createProducerTemplate();
        template.sendBody("bean:sseHub?method=broadcast", message(1, null));
        template.sendBody("bean:sseHub?method=broadcast", List.of(message(2, null), message(3, "s"), message(4, null)));
        client.awaitEvents(4, Duration.ofSeconds(5));
        assertEquals(List.of(1L, 2L, 3L, 4L), client.ids());
        assertEquals(4, hub.getMessagesBroadcast());
    }
}
