package io.controlcenter.fleet;

import java.util.Map;

/**
 * Something that changes the fleet, in the order it happened: a gateway event ({@code seq} set) or a connection
 * lifecycle change made by Control Center ({@code seq} null, event {@code gateway.connected} etc.).
 */
public record FleetEvent(String gateway, String event, Long seq, long receivedAt, Map<String, Object> payload) {
}
