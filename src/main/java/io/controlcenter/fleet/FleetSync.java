package io.controlcenter.fleet;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.controlcenter.gateway.PayloadText;
import io.controlcenter.ops.Meters;
import io.micrometer.core.instrument.MeterRegistry;

/** The steps of a sync (routes/fleet.yaml), collecting what the gateway answers into a {@link FleetSnapshot}. */
public class FleetSync {

    private final int pageSize;
    private final MeterRegistry meters;
    /** Per gateway: when the latest full sync that read everything began ({@link System#nanoTime()}). */
    private final Map<String, Long> lastFullSync = new ConcurrentHashMap<>();

    public FleetSync(int pageSize, MeterRegistry meters) {
        this.pageSize = pageSize;
        this.meters = meters;
    }

    /** The time a sync request is stamped with (routes/gateway.yaml, header FleetSyncRequestedAt). */
    public long now() {
        return System.nanoTime();
    }

    /**
     * Whether the request made at {@code requestedAt} is answered already: a full sync that began after it has read
     * everything since. A burst of seq gaps then costs one or two syncs, not one each. Counted as
     * {@code controlcenter_fleet_sync_requests_answered_total}.
     */
    public boolean alreadyAnswered(String gateway, Long requestedAt) {
        Long last = lastFullSync.get(gateway);
        boolean answered = requestedAt != null && last != null && last - requestedAt > 0;
        if (answered) {
            meters.counter(Meters.PREFIX + "fleet.sync.requests.answered", "gateway", gateway).increment();
        }
        return answered;
    }

    /** The sync read all it asked for (its snapshot is queued to be stored): requests made before it began are answered. */
    public void completed(FleetSnapshot snapshot) {
        if (!snapshot.isAgentsOnly()) {
            lastFullSync.merge(snapshot.getGateway(), snapshot.getStartedNanos(), (a, b) -> b - a > 0 ? b : a);
        }
    }

    /**
     * Starts a sync of {@code scope} ({@code full} or {@code agents}) for {@code reason}, the gateway event that asked
     * for it: {@code gateway.connected}, {@code gateway.resync} (a seq gap) or {@code config.changed}.
     */
    public FleetSnapshot begin(String gateway, String scope, String reason) {
        meters.counter(Meters.PREFIX + "fleet.syncs", "gateway", gateway, "reason",
                reason == null ? "unknown" : reason.replace("gateway.", "")).increment();
        return new FleetSnapshot(gateway, "agents".equals(scope), "websocket");
    }

    public void agents(FleetSnapshot snapshot, Map<String, Object> agentsList) {
        snapshot.setAgents(agentsList);
    }

    /** Params of the next sessions.list call. */
    public Map<String, Object> nextSessionsPage(FleetSnapshot snapshot) {
        return snapshot.nextSessionsPage(pageSize);
    }

    /**
     * Adds a sessions.list page: its JSON text as received (the call's {@code rawPayload=true}) or its maps. Its rows
     * wait in the snapshot until taken ({@link FleetSnapshot#takeSessions}).
     */
    @SuppressWarnings("unchecked")
    public void sessionsPage(FleetSnapshot snapshot, Object page) {
        if (page instanceof PayloadText text) {
            snapshot.addSessionsPage(text.frame(), text.start(), text.end());
        } else if (page instanceof String text) {
            snapshot.addSessionsPage(text);
        } else if (page instanceof Map<?, ?> map) {
            snapshot.addSessionsPage((Map<String, Object>) map);
        } else {
            throw new IllegalArgumentException("sessions.list answered " + (page == null ? "nothing" : "a "
                    + page.getClass().getSimpleName()) + ", not a page of sessions");
        }
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
