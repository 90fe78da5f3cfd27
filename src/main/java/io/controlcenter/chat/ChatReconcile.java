package io.controlcenter.chat;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;
import io.controlcenter.gateway.OpenClawConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * After a (re)connect, settles the runs that were in flight while the connection was down (route
 * {@code chat-reconcile}): each run's session history tells how it ended, and that end continues as the chat event the
 * gateway would have sent, through {@code direct:chat-event} like any other. Bound as {@code chatReconcile}; the route
 * runs per gateway and names it (header {@code OpenClawGateway}).
 */
public class ChatReconcile {

    /** Exchange property: the run being looked up. */
    public static final String RUN = "run";

    private final ChatStore store;

    public ChatReconcile(ChatStore store) {
        this.store = store;
    }

    /** Runs of {@code gateway} not known to have ended, each a map with runId, sessionKey, agentId, state, startedBy. */
    public List<Map<String, Object>> inFlight(String gateway) throws SQLException {
        return store.inFlight(gateway);
    }

    /** chat.history params to look up a run: its session's latest messages. */
    public static Map<String, Object> lookupParams(Map<String, Object> run) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("sessionKey", run.get("sessionKey"));
        params.put("limit", 100);
        return params;
    }

    /**
     * After chat.history of the run's session (property {@link #RUN}): the body becomes the chat event frame the run
     * ended with, with the headers of a gateway event, or null while it still runs. A send the gateway never got is
     * closed as failed.
     */
    public void outcome(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> run = exchange.getProperty(RUN, Map.class);
        Message in = exchange.getMessage();
        String gateway = in.getHeader(OpenClawConstants.GATEWAY, String.class);
        Map<String, Object> history = Json.map(in.getBody());
        Map<String, Object> event = ChatHistory.outcome(run, history);
        if (event == null) {
            if (ChatHistory.neverReceived(run, history) && List.of("sending", "send_failed").contains(run.get("state"))) {
                store.sendFailed(gateway, (String) run.get("runId"), "the gateway did not receive it", true);
            }
            in.setBody(null);
            return;
        }
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "event");
        frame.put("event", "chat");
        frame.put("payload", event);
        in.setHeader(OpenClawConstants.GATEWAY, gateway);
        in.setHeader(OpenClawConstants.FRAME_TYPE, OpenClawConstants.FRAME_EVENT);
        in.setHeader(OpenClawConstants.EVENT, "chat");
        in.setHeader(OpenClawConstants.RECEIVED_AT, System.currentTimeMillis());
        in.setBody(frame);
    }
}
