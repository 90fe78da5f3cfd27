package io.controlcenter.fleet;

import java.util.Map;

/**
 * Something that changes the fleet, in the order it happened: a gateway event ({@code seq} set) or a connection
 * lifecycle change made by Control Center ({@code seq} null, event {@code gateway.connected} etc.). {@code payloadJson}
 * is the payload as JSON text when the submitting thread made it already (the event log stores it), else null.
 */
public record FleetEvent(String gateway, String event, Long seq, long receivedAt, Map<String, Object> payload,
                         String payloadJson) {

    public FleetEvent(String gateway, String event, Long seq, long receivedAt, Map<String, Object> payload) {
        this(gateway, event, seq, receivedAt, payload, null);
    }
}
