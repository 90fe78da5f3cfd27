package io.controlcenter.dashboard;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.api.GatewaysApi;
import io.controlcenter.fleet.FleetApi;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.CamelContextHelper;

/**
 * The named parameters of the dashboard's queries of one agent (routes/api-dashboard.yaml), checked (a bad one is a
 * 400 naming it), and the page of sessions they read.
 */
public final class DashboardQueries {

    private DashboardQueries() {
    }

    /** GET /api/dashboard/sessions: agentId (required), the gateways, active, kind, offset, limit. */
    public static Map<String, Object> sessions(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> q = new HashMap<>();
        q.put("gateways", gateways(exchange).gateways(in.getHeader("gateway", String.class)));
        q.put("agentId", required(in, "agentId"));
        q.put("active", FleetApi.flag("active", in.getHeader("active", String.class)));
        q.put("kind", blankToNull(in.getHeader("kind", String.class)));
        q.put("offset", DashboardCharts.number("offset", in.getHeader("offset", String.class), 0, 0, Integer.MAX_VALUE));
        q.put("limit", DashboardCharts.number("limit", in.getHeader("limit", String.class), 50, 1, 500));
        return q;
    }

    /** GET /api/dashboard/runs: the gateway (the default one when not named), agentId (required), the window's start. */
    public static Map<String, Object> runs(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> q = new HashMap<>();
        q.put("gateway", gateways(exchange).gateway(in.getHeader("gateway", String.class)));
        q.put("agentId", required(in, "agentId"));
        int hours = DashboardCharts.number("hours", in.getHeader("hours", String.class), 24, 1, 168);
        q.put("from", DashboardCharts.hoursAgo(hours));
        return q;
    }

    /** The page: {total, offset, kinds, sessions}, each session a card as GET /api/sessions has it. */
    public static Map<String, Object> sessionPage(List<Map<String, Object>> rows, List<Map<String, Object>> kinds,
                                                  Map<String, Object> query) throws IOException {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", rows.isEmpty() ? 0 : ((Number) rows.get(0).get("total")).longValue());
        page.put("offset", query.get("offset"));
        page.put("kinds", kinds.stream().map(k -> k.get("kind")).toList());
        page.put("sessions", FleetApi.sessionCards(rows));
        return page;
    }

    private static GatewaysApi gateways(Exchange exchange) {
        return CamelContextHelper.mandatoryLookup(exchange.getContext(), "gatewaysApi", GatewaysApi.class);
    }

    private static String required(Message in, String name) {
        String value = blankToNull(in.getHeader(name, String.class));
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
