package io.controlcenter.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.controlcenter.ops.GatewayMBeans;
import io.controlcenter.ops.Meters;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.apache.camel.Endpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;

/** The {@code openclaw:} component: one {@link GatewayClient} per configured gateway, shared by its endpoints. */
@Component("openclaw")
public class OpenClawComponent extends DefaultComponent {

    private final Map<String, GatewayClient> clients = new ConcurrentHashMap<>();
    private Vertx vertx;
    private boolean ownVertx;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String name = remaining == null || remaining.isBlank() ? "default" : remaining;
        OpenClawEndpoint endpoint = new OpenClawEndpoint(uri, this, name, client(name));
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The client of gateway {@code name}, created, started and registered (JMX, health) on first use. */
    public GatewayClient client(String name) {
        return clients.computeIfAbsent(name, n -> {
            GatewayClient client = new GatewayClient(GatewaySettings.load(getCamelContext(), n), vertx(),
                    Meters.registry(getCamelContext()), devices());
            // started and stopped with this component; in JMX under the gateway's name, not as one of Camel's services
            ServiceHelper.startService(client);
            GatewayMBeans.register(getCamelContext(), n, "GatewayClient", client);
            HealthCheckRegistry health = HealthCheckRegistry.get(getCamelContext());
            if (health != null) {
                boolean required = GatewaySettings.required(getCamelContext()).contains(n);
                health.register(new GatewayHealthCheck(client, required, clients::values));
            }
            return client;
        });
    }

    /** Where the device identity and device tokens are kept: the one {@link DeviceCredentials} in the registry. */
    private DeviceCredentials devices() {
        DeviceCredentials devices = CamelContextHelper.findSingleByType(getCamelContext(), DeviceCredentials.class);
        if (devices == null) {
            throw new IllegalStateException("openclaw: needs a DeviceCredentials bean in the registry (the device identity"
                    + " it signs connects with); io.controlcenter.device.DeviceConfiguration binds one");
        }
        return devices;
    }

    /**
     * The Vert.x instance to run on: a {@code Vertx} bean if one is bound, else the one Camel's HTTP server runs on
     * (starting a second instance costs a third of a second at start-up), else our own.
     */
    private synchronized Vertx vertx() {
        if (vertx == null) {
            vertx = CamelContextHelper.findSingleByType(getCamelContext(), Vertx.class);
            VertxPlatformHttpRouter router = vertx == null
                    ? CamelContextHelper.findSingleByType(getCamelContext(), VertxPlatformHttpRouter.class) : null;
            if (router != null) {
                vertx = router.vertx();
            }
            if (vertx == null) {
                vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
                ownVertx = true;
            }
        }
        return vertx;
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(clients.values());
        super.doStop();
        if (ownVertx && vertx != null) {
            vertx.close();
            vertx = null;
        }
    }
}
