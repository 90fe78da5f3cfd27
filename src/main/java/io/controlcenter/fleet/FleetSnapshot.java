package io.controlcenter.fleet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

import io.controlcenter.gateway.Json;

/**
 * What a sync read from the gateway: agents, every session page, presence. {@code startedAt} is when the sync began
 * (our clock): rows not seen since then are gone. Each session row keeps the gateway's clock of its page: live events
 * with a newer {@code ts} win over it.
 */
public final class FleetSnapshot {

    private final String gateway;
    private final long startedAt;
    private final long startedNanos = System.nanoTime();
    private final boolean agentsOnly;
    private final String source;
    private boolean agentsComplete = true;
    private Map<String, Object> agents;
    private final List<Listed> sessions = new ArrayList<>();
    /** The key of every session listed, those handed on included: what the sync saw ({@link #getListedKeys}). */
    private final Set<String> listedKeys = new HashSet<>();
    private int sessionCount;
    private long nextOffset;
    private boolean moreSessions = true;
    private List<Object> presence;

    public FleetSnapshot(String gateway, boolean agentsOnly, String source) {
        this.gateway = gateway;
        this.agentsOnly = agentsOnly;
        this.source = source;
        this.startedAt = System.currentTimeMillis();
    }

    /** Where it was read: {@code websocket} (the RPC sync) or {@code polling} (the HTTP fallback). */
    public String getSource() {
        return source;
    }

    /** Whether the agent listing has every agent, so that those missing from it are gone. */
    public boolean isAgentsComplete() {
        return agentsComplete;
    }

    public void setAgentsComplete(boolean agentsComplete) {
        this.agentsComplete = agentsComplete;
    }

    public String getGateway() {
        return gateway;
    }

    public long getStartedAt() {
        return startedAt;
    }

    /** When it began on {@link System#nanoTime()}'s clock, the one sync requests are stamped with. */
    public long getStartedNanos() {
        return startedNanos;
    }

    /** A config.changed re-read: only the agents changed, sessions and presence are left alone. */
    public boolean isAgentsOnly() {
        return agentsOnly;
    }

    public Map<String, Object> getAgents() {
        return agents;
    }

    public void setAgents(Map<String, Object> agentsList) {
        this.agents = agentsList;
    }

    public List<Listed> getSessions() {
        return sessions;
    }

    /** Session rows listed so far, including those already handed on ({@link #takeSessions}). */
    public int getSessionCount() {
        return sessionCount;
    }

    /** The rows listed since the last call, to be stored while the sync reads on ({@link SessionsPage}). */
    public SessionsPage takeSessions() {
        SessionsPage page = new SessionsPage(gateway, source, List.copyOf(sessions));
        sessions.clear();
        return page;
    }

    /**
     * The keys of every session the sync listed: the others not written since it began are gone. Not their
     * {@code seen_at}: a listed row that is unchanged is not written again.
     */
    public Set<String> getListedKeys() {
        return listedKeys;
    }

    public boolean isMoreSessions() {
        return moreSessions;
    }

    public List<Object> getPresence() {
        return presence;
    }

    public void setPresence(List<Object> presence) {
        this.presence = presence;
    }

    /** Params of the next sessions.list page. */
    public Map<String, Object> nextSessionsPage(int limit) {
        return Map.of("limit", limit, "offset", nextOffset);
    }

    /** Adds one sessions.list page, as maps (the polling fallback's); the gateway says whether more follow. */
    @SuppressWarnings("unchecked")
    public void addSessionsPage(Map<String, Object> page) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) page.getOrDefault("sessions", List.of());
        long ts = page.get("ts") instanceof Number n ? n.longValue() : 0;
        List<Listed> listed = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            listed.add(Listed.of(row, ts));
        }
        Object next = page.get("nextOffset");
        add(new ListedPage(listed, Boolean.TRUE.equals(page.get("hasMore")),
                next instanceof Number n ? n.longValue() : null));
    }

    /** Adds one sessions.list page as the gateway sent it (its JSON text: {@link ListedPage}). */
    public void addSessionsPage(String page) {
        addSessionsPage(page, 0, page.length());
    }

    /** Adds one sessions.list page as the gateway sent it: its JSON text, from {@code start} to {@code end} of {@code text}. */
    public void addSessionsPage(String text, int start, int end) {
        add(ListedPage.read(text, start, end));
    }

    private void add(ListedPage page) {
        for (Listed listed : page.rows()) {
            sessions.add(listed);
            if (listed.key() != null) {
                listedKeys.add(listed.key());
            }
        }
        sessionCount += page.rows().size();
        moreSessions = page.hasMore() && page.nextOffset() != null && !page.rows().isEmpty();
        if (moreSessions) {
            nextOffset = page.nextOffset();
        }
    }

    /**
     * Rows of a sync handed to the store before the sync ends, so that writing them overlaps reading the next pages
     * (and a large fleet is never held in memory at once). They are stored like the snapshot's rows, which is safe
     * before the snapshot: an upsert never lets older data overwrite newer, and the rows count as seen by the sync.
     */
    public record SessionsPage(String gateway, String source, List<Listed> rows) {
    }

    /**
     * A session row as listed, with the gateway's time of its page: kept as its JSON text and the columns the store
     * needs, not as the parsed map, which takes several times the memory (a row's text is ~2.7 KB).
     */
    public record Listed(String key, String agentId, String sessionId, String status, boolean hasActiveRun,
                         Long updatedAt, String json, SessionTokens tokens, long listedAt) {

        static Listed of(Map<String, Object> row, long listedAt) {
            return new Listed(Json.string(row, "key"), Json.string(row, "agentId"), Json.string(row, "sessionId"),
                    Json.string(row, "status"), Boolean.TRUE.equals(row.get("hasActiveRun")), Json.number(row, "updatedAt"),
                    Json.write(row), SessionTokens.of(row), listedAt);
        }
    }
}
