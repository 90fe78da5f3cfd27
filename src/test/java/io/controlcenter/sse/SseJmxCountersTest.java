package io.controlcenter.sse;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hub's counters are JMX attributes of a Camel service MBean. */
class SseJmxCountersTest extends SseTestSupport {

    @Test
    void countersAreReadableOverJmx() throws Exception {
        start();
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = jmx.queryNames(new ObjectName("org.apache.camel:type=services,*"), null);
        ObjectName mbean = names.stream().filter(n -> n.getKeyProperty("name").startsWith("SseHub")).findFirst()
                .orElseThrow(() -> new AssertionError("no SseHub MBean in " + names));

        SseStream a = connect("");
        SseStream b = connect("?session=other");
        hub.broadcast(message(1, null));
        hub.broadcast(message(2, null));
        a.awaitEvents(2, Duration.ofSeconds(5));
        await("2 sent", Duration.ofSeconds(5), () -> hub.getMessagesSent() == 2);

        assertEquals(2, jmx.getAttribute(mbean, "ClientsConnected"));
        assertEquals(2L, jmx.getAttribute(mbean, "MessagesBroadcast"));
        assertEquals(2L, jmx.getAttribute(mbean, "MessagesSent"));
        assertEquals(0L, jmx.getAttribute(mbean, "SlowClientsDropped"));
        assertEquals("/api/events", jmx.getAttribute(mbean, "Path"));
        assertEquals(10_000, jmx.getAttribute(mbean, "ClientBuffer"));
        b.close();
        await("1 client over JMX", Duration.ofSeconds(5), () -> {
            try {
                return Integer.valueOf(1).equals(jmx.getAttribute(mbean, "ClientsConnected"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
