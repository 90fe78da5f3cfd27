package io.controlcenter.gateway;

import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.controlcenter.config.ConfigurationException;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where each gateway's settings come from when there are several (application.properties, "Gateways"). */
class GatewayKeysTest {

    private static CamelContext context(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(p);
        return context;
    }

    private static final String[] TWO = {"gateways", "default, lab",
            "gateway.ws-url", "ws://127.0.0.1:1/", "gateway.token", "default-token",
            "gateway.lab.ws-url", "wss://lab.example:18789/", "gateway.lab.token", "lab-token"};

    private static String[] with(String... more) {
        String[] all = new String[TWO.length + more.length];
        System.arraycopy(TWO, 0, all, 0, TWO.length);
        System.arraycopy(more, 0, all, TWO.length, more.length);
        return all;
    }

    @Test
    void withoutAListTheOneGatewayIsTheOneOfGatewayName() {
        assertEquals(List.of("default"), GatewaySettings.names(context()));
        assertEquals(List.of("edge"), GatewaySettings.names(context("gateway.name", "edge")));
    }

    @Test
    void eachGatewayConnectsWithItsOwnUrlAndToken() {
        CamelContext c = context(TWO);
        assertEquals(List.of("default", "lab"), GatewaySettings.names(c));
        GatewaySettings lab = GatewaySettings.load(c, "lab");
        assertEquals("wss://lab.example:18789/", lab.url().toString());
        assertEquals("lab-token", lab.token());
        GatewaySettings primary = GatewaySettings.load(c, "default");
        assertEquals("ws://127.0.0.1:1/", primary.url().toString());
        assertEquals("default-token", primary.token());
    }

    @Test
    void aSecondGatewayNeverTakesTheFirstOnesUrlOrToken() {
        ConfigurationException url = assertThrows(ConfigurationException.class, () -> GatewaySettings.load(context(
                "gateways", "default,lab", "gateway.ws-url", "ws://127.0.0.1:1/", "gateway.token", "t",
                "gateway.lab.token", "lab-token"), "lab"));
        assertEquals("gateway.lab.ws-url (GATEWAY_LAB_WS_URL) is not set", url.getMessage());
        ConfigurationException token = assertThrows(ConfigurationException.class, () -> GatewaySettings.load(context(
                "gateways", "default,lab", "gateway.ws-url", "ws://127.0.0.1:1/", "gateway.token", "t",
                "gateway.lab.ws-url", "ws://127.0.0.1:2/"), "lab"));
        assertTrue(token.getMessage().startsWith("gateway.lab.token (GATEWAY_LAB_TOKEN) is not set"), token.getMessage());
    }

    @Test
    void howToConnectIsSharedUnlessAGatewaySaysOtherwise() {
        CamelContext c = context(with("gateway.reconnect.max-delay", "45s", "gateway.rpc-timeout", "20s",
                "gateway.lab.rpc-timeout", "5s", "gateway.scopes", "operator.read,operator.write",
                "gateway.lab.scopes", "operator.read"));
        GatewaySettings lab = GatewaySettings.load(c, "lab");
        GatewaySettings primary = GatewaySettings.load(c, "default");
        assertEquals(45_000, lab.reconnectMaxMs());
        assertEquals(45_000, primary.reconnectMaxMs());
        assertEquals(5_000, lab.rpcTimeoutMs());
        assertEquals(20_000, primary.rpcTimeoutMs());
        assertEquals(List.of("operator.read"), lab.scopes());
        assertEquals(List.of("operator.read", "operator.write"), primary.scopes());
    }

    @Test
    void aGatewaysOwnClosePolicyEntriesGoOverTheSharedTable() {
        CamelContext c = context(with("gateway.close-policy.1008", "fatal", "gateway.close-policy.4000", "reconnect",
                "gateway.lab.close-policy.1008", "reconnect"));
        assertEquals(ClosePolicy.Action.RECONNECT, GatewaySettings.load(c, "lab").closePolicy().actionFor(1008));
        assertEquals(ClosePolicy.Action.RECONNECT, GatewaySettings.load(c, "lab").closePolicy().actionFor(4000));
        assertEquals(ClosePolicy.Action.FATAL, GatewaySettings.load(c, "default").closePolicy().actionFor(1008));
        ConfigurationException bad = assertThrows(ConfigurationException.class,
                () -> GatewaySettings.load(context(with("gateway.lab.close-policy.1008", "retry")), "lab"));
        assertTrue(bad.getMessage().startsWith("gateway.lab.close-policy.1008: 'retry'"), bad.getMessage());
    }

    @Test
    void aWrongValueOfAGatewayNamesThatGatewaysKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> GatewaySettings.load(context(with("gateway.lab.reconnect.jitter", "2")), "lab"));
        assertTrue(e.getMessage().startsWith("gateway.lab.reconnect.jitter: '2'"), e.getMessage());
    }

    @Test
    void namesAreCheckedOnce() {
        assertEquals("gateways: 'lab' is listed twice",
                assertThrows(ConfigurationException.class, () -> GatewaySettings.names(context("gateways", "lab, default,lab")))
                        .getMessage());
        assertTrue(assertThrows(ConfigurationException.class, () -> GatewaySettings.names(context("gateways", "Lab!")))
                .getMessage().startsWith("gateways: 'Lab!' is not a gateway name"));
        assertTrue(assertThrows(ConfigurationException.class, () -> GatewaySettings.names(context("gateways", "tls")))
                .getMessage().startsWith("gateways: 'tls' is not a gateway name"), "a name that reads as a setting");
        assertEquals("gateways: 'prod-eu' and 'prod_eu' would share their environment variables (GATEWAY_PROD_EU_*): "
                + "rename one", assertThrows(ConfigurationException.class,
                        () -> GatewaySettings.names(context("gateways", "prod-eu,prod_eu"))).getMessage());
        assertEquals("openclaw:prod: no gateway of that name is configured (gateways=default,lab)",
                assertThrows(ConfigurationException.class, () -> GatewaySettings.load(context(TWO), "prod")).getMessage());
    }

    @Test
    void requiredGatewaysMustBeConfigured() {
        assertEquals(Set.of(), GatewaySettings.required(context(TWO)));
        assertEquals(Set.of("lab"), GatewaySettings.required(context(with("gateways.required", "lab"))));
        assertEquals("gateways.required: 'prod' is not one of the gateways (default, lab)", assertThrows(
                ConfigurationException.class, () -> GatewaySettings.required(context(with("gateways.required", "prod"))))
                .getMessage());
    }

    @Test
    void aGatewaysEnvironmentVariablesAreNamedAfterIt() {
        GatewayKeys keys = new GatewayKeys(context(TWO).getPropertiesComponent(), "prod-eu");
        assertEquals("GATEWAY_PROD_EU_WS_URL", keys.envName("ws-url"));
        assertEquals("GATEWAY_PROD_EU_TRUST_STORE_PASSWORD", keys.envName("tls.trust-store-password"));
    }
}
