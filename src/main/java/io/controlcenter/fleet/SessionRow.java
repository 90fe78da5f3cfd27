package io.controlcenter.fleet;

import java.util.Map;

import io.controlcenter.gateway.Json;

/**
 * A session row as a batch writes it ({@link SessionWrites}): the gateway's columns, {@code version} (the gateway's
 * clock of the data: older data never overwrites newer), the row's JSON text and its token counts, when it was seen
 * (ms), and {@code partial}: a polled row with fewer fields, merged into the stored one instead of replacing it.
 */
record SessionRow(String gateway, String key, String agentId, String sessionId, String status, boolean hasActiveRun,
                  Long updatedAt, long version, String json, SessionTokens tokens, boolean gone, long seenAt,
                  boolean partial) {

    /** The row of a sessions.changed event ({@link FleetMessages#sessionRow}). */
    static SessionRow changed(String gateway, Map<String, Object> row, long version, boolean gone, long seenAt) {
        return new SessionRow(gateway, Json.string(row, "key"), Json.string(row, "agentId"),
                Json.string(row, "sessionId"), Json.string(row, "status"), Boolean.TRUE.equals(row.get("hasActiveRun")),
                Json.number(row, "updatedAt"), version, Json.write(row), SessionTokens.of(row), gone, seenAt, false);
    }

    /** A row of a sync's listing: its version is the later of its page's time and its own updatedAt. */
    static SessionRow listed(String gateway, FleetSnapshot.Listed l, long seenAt, boolean partial) {
        long version = Math.max(l.listedAt(), l.updatedAt() == null ? 0 : l.updatedAt());
        return new SessionRow(gateway, l.key(), l.agentId(), l.sessionId(), l.status(), l.hasActiveRun(), l.updatedAt(),
                version, l.json(), l.tokens(), false, seenAt, partial);
    }
}
