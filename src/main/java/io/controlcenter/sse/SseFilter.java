package io.controlcenter.sse;

/**
 * What one client of the event stream asked for: {@code GET /api/events?gateway=NAME&session=KEY}; null for either
 * means all. A message belongs to a gateway and a session only when it names them.
 */
public record SseFilter(String gateway, String sessionKey) {

    public static final SseFilter ALL = new SseFilter(null, null);

    boolean accepts(SseMessage m) {
        return (gateway == null || gateway.equals(m.gateway())) && (sessionKey == null || sessionKey.equals(m.sessionKey()));
    }

    @Override
    public String toString() {
        return (gateway == null ? "" : " (gateway " + gateway + ")") + (sessionKey == null ? "" : " (session " + sessionKey + ")");
    }
}
