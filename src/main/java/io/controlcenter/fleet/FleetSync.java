package io.controlcenter.fleet;

import java.util.List;
import java.util.Map;

/** The steps of a sync (routes/fleet.yaml), collecting what the gateway answers into a {@link FleetSnapshot}. */
public class FleetSync {

    private final int pageSize;

    public FleetSync(int pageSize) {
        this.pageSize = pageSize;
    }

    public FleetSnapshot begin(String gateway, String scope) {
        return new FleetSnapshot(gateway, "agents".equals(scope), "websocket");
    }

    public void agents(FleetSnapshot snapshot, Map<String, Object> agentsList) {
        snapshot.setAgents(agentsList);
    }

    /** Params of the next sessions.list call. */
    public Map<String, Object> nextSessionsPage(FleetSnapshot snapshot) {
        return snapshot.nextSessionsPage(pageSize);
    }

    public void sessionsPage(FleetSnapshot snapshot, Map<String, Object> page) {
        snapshot.addSessionsPage(page);
    }

    /** system-presence answers an array of entries (some versions wrap it as {presence: [...]}). */
    @SuppressWarnings("unchecked")
    public void presence(FleetSnapshot snapshot, Object presence) {
        if (presence instanceof Map<?, ?> m && m.get("presence") instanceof List<?> list) {
            snapshot.setPresence((List<Object>) list);
        } else if (presence instanceof List<?> list) {
            snapshot.setPresence((List<Object>) list);
        }
    }
}
