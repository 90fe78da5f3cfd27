package io.controlcenter.ops;

import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ManagementAgent;

/**
 * Our objects that exist once per gateway, in JMX under the gateway's name:
 * {@code org.apache.camel:context=<context>,type=gateways,gateway=<gateway>,name=<name>} (Hawtio shows them in a
 * folder per gateway). Their attributes come from the {@code @Managed*} annotations of their class.
 */
public final class GatewayMBeans {

    private GatewayMBeans() {
    }

    /**
     * Registers {@code mbean} (a {@code @ManagedResource}) as {@code name} of {@code gateway} once Camel has started (its
     * JMX agent with it), or now if it has; nothing when JMX is off.
     */
    public static void register(CamelContext context, String gateway, String name, Object mbean) {
        try {
            context.addStartupListener((camel, alreadyStarted) -> registerNow(camel, gateway, name, mbean));
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + name + " of gateway " + gateway + " in JMX", e);
        }
    }

    private static void registerNow(CamelContext context, String gateway, String name, Object mbean) {
        ManagementAgent agent = context.getManagementStrategy() == null ? null
                : context.getManagementStrategy().getManagementAgent();
        if (agent == null) {
            return;
        }
        try {
            agent.register(mbean, objectName(context, gateway, name));
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + name + " of gateway " + gateway + " in JMX", e);
        }
    }

    public static ObjectName objectName(CamelContext context, String gateway, String name) throws Exception {
        // gateway names are letters, digits, - and _ (GatewaySettings): nothing to quote
        String camel = context.getManagementName() == null ? context.getName() : context.getManagementName();
        return new ObjectName("org.apache.camel:context=" + camel + ",type=gateways,gateway=" + gateway + ",name=" + name);
    }
}
