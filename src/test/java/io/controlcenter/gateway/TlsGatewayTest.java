package io.controlcenter.gateway;

import java.nio.file.Path;
import java.time.Duration;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A wss:// gateway with a self-signed certificate: connected when gateway.tls.trust-store holds its certificate
 * (PKCS12 with a password, or PEM), refused by the JVM's default trust, and a trust store that cannot be read fails
 * the start naming the key.
 */
class TlsGatewayTest {

    @TempDir
    Path dir;
    private FakeGateway gateway;
    private ControlCenterApp app;

    @Test
    void connectsOverWssWithTheConfiguredTrustStore() throws Exception {
        SelfSignedCertificate cert = startGateway();
        app = ControlCenterApp.start(gateway, "gateway.tls.trust-store", cert.trustStore().toString(),
                "gateway.tls.trust-store-password", SelfSignedCertificate.TRUST_PASSWORD);
        awaitConnected();
        assertTrue(app.gatewayStatus().get("url").toString().startsWith("wss://127.0.0.1:"));
        assertEquals(1, gateway.connections.size());
    }

    @Test
    void aPemCertificateWorksAsTheTrustStore() throws Exception {
        SelfSignedCertificate cert = startGateway();
        app = ControlCenterApp.start(gateway, "gateway.tls.trust-store", cert.certificate().toString());
        awaitConnected();
    }

    @Test
    void withoutTheTrustStoreTheCertificateIsRefused() throws Exception {
        startGateway();
        app = ControlCenterApp.start(gateway);
        await("an attempt failed", Duration.ofSeconds(10), () -> app.gatewayStatus().get("lastError") != null);
        String error = String.valueOf(app.gatewayStatus().get("lastError"));
        assertTrue(error.contains("certification path") || error.contains("PKIX"), error);
        assertEquals(0, gateway.connections.size(), "no WebSocket was opened");
        assertFalse(app.client().getGatewayState() == GatewayState.CONNECTED);
    }

    @Test
    void aWrongTrustStorePasswordFailsTheStartNamingTheKey() throws Exception {
        SelfSignedCertificate cert = startGateway();
        Exception e = assertThrows(IllegalStateException.class, () -> ControlCenterApp.start(gateway,
                "gateway.tls.trust-store", cert.trustStore().toString(),
                "gateway.tls.trust-store-password", "not-the-password").close());
        Throwable t = e;
        while (t != null && !(t instanceof ConfigurationException)) {
            t = t.getCause();
        }
        assertTrue(t != null && t.getMessage().startsWith("gateway.tls.trust-store: cannot read"), String.valueOf(e));
        assertFalse(t.getMessage().contains("not-the-password"), t.getMessage());
    }

    private SelfSignedCertificate startGateway() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        gateway = new FakeGateway().startTls(cert.keyStore(), SelfSignedCertificate.KEY_PASSWORD);
        return cert;
    }

    private void awaitConnected() {
        await("connected over wss", Duration.ofSeconds(10), () -> app.client().getGatewayState() == GatewayState.CONNECTED);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }
}
