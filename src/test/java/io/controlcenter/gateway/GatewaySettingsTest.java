package io.controlcenter.gateway;

import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewaySettingsTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "gateway.ws-url, http://127.0.0.1:1/",
            "gateway.ws-url, not a url",
            "gateway.reconnect.max-delay, soon",
            "gateway.reconnect.jitter, 2",
            "gateway.max-payload, -5",
            "gateway.close-policy.1008, ignore",
            "gateway.close-policy.abc, fatal"})
    void aWrongSettingFailsTheStartWithItsKeyNamed(String key, String value) {
        Exception e = assertThrows(Exception.class, () -> ControlCenterApp.start("ws://127.0.0.1:1/", key, value).close());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains(key), messages.toString());
    }

    @Test
    void theClosePolicyTableParsesWithADefault() {
        ClosePolicy policy = ClosePolicy.parse(Map.of("1008", "fatal", "1000", "Normal", "default", "reconnect"),
                "gateway.close-policy.");
        assertEquals(ClosePolicy.Action.FATAL, policy.actionFor(1008));
        assertEquals(ClosePolicy.Action.NORMAL, policy.actionFor(1000));
        assertEquals(ClosePolicy.Action.RECONNECT, policy.actionFor(4321));
    }
}
