package io.controlcenter.device;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Control Center's device identity is made once and kept in the database, so every instance on one database and every
 * restart is the same device (one approval per gateway); an operator may supply the key instead, as a PEM file or as
 * text.
 */
class DeviceIdentityTest extends GatewayTestSupport {

    /** RFC 8032's first test key as PKCS#8 PEM, and its device id (DeviceSignatureTest). */
    private static final String PEM = "-----BEGIN PRIVATE KEY-----\n"
            + "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n";
    private static final String ID = "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private String signedDeviceId() {
        return (String) ((Map<String, Object>) gateway.last().connectParams.get("device")).get("id");
    }

    @Test
    void twoInstancesOnOneDatabaseAndARestartAreOneDevice() {
        String database = TestDatabase.create();
        String[] db = {"db.url", TestDatabase.url(database), "db.user", TestDatabase.USER, "db.password", TestDatabase.PASSWORD};
        try (ControlCenterApp first = ControlCenterApp.start(gateway, db);
             ControlCenterApp second = ControlCenterApp.start(gateway, db)) {
            String id = first.client().getDeviceId();
            assertEquals(id, second.client().getDeviceId());
            assertEquals(1L, first.query("SELECT count(*) AS n FROM device_identity").get(0).get("n"));
            first.close();
            second.close();
            try (ControlCenterApp again = ControlCenterApp.start(gateway, db)) {
                assertEquals(id, again.client().getDeviceId());
                awaitSigned(again, id);
            }
        } finally {
            TestDatabase.drop(database);
        }
    }

    private void awaitSigned(ControlCenterApp a, String id) {
        app = a;
        awaitConnected();
        app = null;
        assertEquals(id, signedDeviceId(), "the connect is signed by that device");
    }

    @Test
    void anOperatorSuppliedKeyFileIsTheDevice() throws Exception {
        Path key = Files.writeString(dir.resolve("device-key.pem"), PEM);
        start("device.private-key-file", key.toString());
        awaitConnected();
        assertEquals(ID, app.client().getDeviceId());
        assertEquals(ID, signedDeviceId());
        assertEquals(0L, ((Number) app.query("SELECT count(*) AS n FROM device_identity").get(0).get("n")).longValue(),
                "no key of its own is made");
        assertFalse(app.gatewayStatus().toString().contains("MC4CAQAw"), "the key is never shown");
    }

    @Test
    void anOperatorSuppliedKeyAsOneLineOfTextIsTheDevice() {
        start("device.private-key", PEM.replace("\n", "\\n"));
        awaitConnected();
        assertEquals(ID, signedDeviceId());
    }
}
