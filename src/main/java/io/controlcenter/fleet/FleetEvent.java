package io.controlcenter.fleet;

import java.util.Map;

import io.controlcenter.gateway.Json;

/**
 * Something that changes the fleet, in the order it happened: a gateway event ({@code seq} set) or a connection
 * lifecycle change made by Control Center ({@code seq} null, event {@code gateway.connected} etc.). {@code payloadJson}
 * is the payload as JSON text when the submitting thread made it already (the event log stores it), else null;
 * {@code prepared}, what the batch writer derives from it when the submitting thread derived it already
 * ({@link #prepare}), else null.
 */
public record FleetEvent(String gateway, String event, Long seq, long receivedAt, Map<String, Object> payload,
                         String payloadJson, Prepared prepared) {

    public FleetEvent(String gateway, String event, Long seq, long receivedAt, Map<String, Object> payload) {
        this(gateway, event, seq, receivedAt, payload, null, null);
    }

    public FleetEvent(String gateway, String event, Long seq, long receivedAt, Map<String, Object> payload,
                      String payloadJson) {
        this(gateway, event, seq, receivedAt, payload, payloadJson, null);
    }

    /**
     * What a sessions.changed event becomes, made from its payload alone: the session row with its JSON, and the
     * session.update message with its JSON (the id is the event log's, added when it is stored).
     */
    record Prepared(SessionRow session, FleetMessages.Message message, String messageJson) {
    }

    /**
     * The event with its sessions.changed derivations made here, on the submitting thread (a gateway's own), instead
     * of on the one batch writer thread that every gateway's events share: reading the payload into the row and the
     * card and writing both as JSON were about a third of the writer's time per event (BENCHMARKS.md). Its payload
     * map is then let go (the row, the message and {@code payloadJson} are all the batch needs). Any other event, or
     * a payload whose shape the derivation refuses, is returned as it is: the writer derives it and says what is wrong.
     */
    static FleetEvent prepare(String gateway, String event, Long seq, long receivedAt, Map<String, Object> payload,
                              String payloadJson) {
        if (!"sessions.changed".equals(event) || payload == null || payloadJson == null) {
            return new FleetEvent(gateway, event, seq, receivedAt, payload, payloadJson);
        }
        try {
            FleetMessages.Message message = FleetMessages.of(gateway, event, payload);
            Prepared prepared = new Prepared(sessionRow(gateway, payload, receivedAt), message,
                    Json.write(message.data()));
            return new FleetEvent(gateway, event, seq, receivedAt, null, payloadJson, prepared);
        } catch (RuntimeException e) {
            return new FleetEvent(gateway, event, seq, receivedAt, payload, payloadJson);
        }
    }

    /** The session row a sessions.changed event's payload {@code p} writes. */
    static SessionRow sessionRow(String gateway, Map<String, Object> p, long receivedAt) {
        Map<String, Object> row = FleetMessages.sessionRow(p);
        Long ts = Json.number(p, "ts");
        return SessionRow.changed(gateway, row, ts != null ? ts : receivedAt, FleetMessages.isDelete(p), receivedAt);
    }
}
