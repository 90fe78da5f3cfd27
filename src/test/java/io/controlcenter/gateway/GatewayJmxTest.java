package io.controlcenter.gateway;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class GatewayJmxTest extends GatewayTestSupport {

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    /** Our MBean {@code name} of the gateway {@code default}. */
    private ObjectName service(String name) throws Exception {
        Set<ObjectName> names = jmx.queryNames(new ObjectName("org.apache.camel:type=gateways,gateway=default,name=" + name
                + ",*"), null);
        if (names.isEmpty()) {
            throw new AssertionError("no " + name + " MBean of gateway default in "
                    + jmx.queryNames(new ObjectName("org.apache.camel:type=gateways,*"), null));
        }
        return names.iterator().next();
    }

    @Test
    void theConnectionStateIsReadableOverJmxWithoutTheToken() throws Exception {
        start();
        awaitConnected();
        {
            ObjectName client = service("GatewayClient");
            assertEquals("connected", jmx.getAttribute(client, "ConnectionState"));
            assertEquals(4, jmx.getAttribute(client, "Protocol"));
            assertEquals(gateway.last().connId, jmx.getAttribute(client, "ConnId"));
            assertEquals("2026.9.6", jmx.getAttribute(client, "ServerVersion"));
            assertEquals(gateway.url(), jmx.getAttribute(client, "Url"));
            for (var attribute : jmx.getMBeanInfo(client).getAttributes()) {
                Object value = jmx.getAttribute(client, attribute.getName());
                assertFalse(String.valueOf(value).contains(FakeGateway.TOKEN), attribute.getName() + " shows the token");
            }

            jmx.invoke(client, "reconnect", new Object[0], new String[0]);
            await("reconnected through JMX", Duration.ofSeconds(5),
                    () -> gateway.connections.size() == 2 && app.client().getGatewayState() == GatewayState.CONNECTED);
        }
    }

    @Test
    void thePollingFallbacksRecordIsReadableOverJmx() throws Exception {
        start();
        awaitConnected();
        ObjectName gate = service("FallbackGate");
        assertEquals("websocket", jmx.getAttribute(gate, "Path"));
        assertEquals("CLOSED", jmx.getAttribute(gate, "Breaker"));
        assertEquals(false, jmx.getAttribute(gate, "Active"));
        assertEquals(0L, jmx.getAttribute(gate, "Polls"));
    }
}
