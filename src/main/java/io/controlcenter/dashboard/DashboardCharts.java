package io.controlcenter.dashboard;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shapes of the dashboard's charts (routes/api-dashboard.yaml): query parameters checked, rows of camel-sql made into
 * series of {@code [epoch ms, value]} points the page draws.
 */
public final class DashboardCharts {

    /** Points per chart of events per second: the window is cut into this many buckets. */
    static final int ACTIVITY_BUCKETS = 60;
    /** Agents drawn in the tokens chart: those whose tokens grew most in the window. */
    static final int TOP_AGENTS = 8;

    private DashboardCharts() {
    }

    /** A whole-number query parameter from {@code min} to {@code max}; {@code otherwise} when absent; else a 400 naming it. */
    public static int number(String name, String value, int otherwise, int min, int max) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
    }

    /** Seconds per bucket of an activity window of {@code minutes}. */
    public static int step(int minutes) {
        return Math.max(1, minutes * 60 / ACTIVITY_BUCKETS);
    }

    /** The start of a window of {@code seconds} ending now, as the SQL parameter. */
    public static Timestamp since(long seconds) {
        return Timestamp.from(Instant.now().minusSeconds(seconds));
    }

    /** The start of a window of {@code minutes} ending now. */
    public static Timestamp minutesAgo(int minutes) {
        return since(minutes * 60L);
    }

    /** The start of a window of {@code hours} ending now. */
    public static Timestamp hoursAgo(int hours) {
        return since(hours * 3600L);
    }

    /**
     * Events per second per gateway: rows {gateway, bucket (epoch s / step), events} as a point per bucket of the
     * window for every gateway in {@code gateways}, 0 where none arrived.
     */
    public static Map<String, Object> activity(List<Map<String, Object>> rows, List<String> gateways, int minutes) {
        int step = step(minutes);
        long last = Instant.now().getEpochSecond() / step;
        long first = last - (minutes * 60L / step) + 1;
        Map<String, Map<Long, Long>> counts = new HashMap<>();
        for (Map<String, Object> r : rows) {
            counts.computeIfAbsent((String) r.get("gateway"), g -> new HashMap<>())
                    .put(((Number) r.get("bucket")).longValue(), ((Number) r.get("events")).longValue());
        }
        List<Map<String, Object>> series = new ArrayList<>();
        for (String gateway : gateways) {
            Map<Long, Long> of = counts.getOrDefault(gateway, Map.of());
            List<Object> points = new ArrayList<>();
            for (long b = first; b <= last; b++) {
                points.add(List.of(b * step * 1000, (double) of.getOrDefault(b, 0L) / step));
            }
            series.add(series(gateway, null, points));
        }
        return chart(first * step * 1000, step, series);
    }

    /**
     * Tokens per agent over time: rows {gateway, agentId, at (Timestamp), totalTokens} in time order (an agent's first
     * row may be its last sample before the window, drawn at its start), as a line per agent, the {@link #TOP_AGENTS}
     * whose tokens grew most.
     */
    public static Map<String, Object> usage(List<Map<String, Object>> rows, int hours) {
        long from = Instant.now().minusSeconds(hours * 3600L).toEpochMilli();
        long now = Instant.now().toEpochMilli();
        Map<List<Object>, List<List<Object>>> lines = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            long at = Math.max(from, ((Timestamp) r.get("at")).getTime());
            Number total = (Number) r.get("totalTokens");
            lines.computeIfAbsent(List.of(r.get("gateway"), r.get("agentId")), k -> new ArrayList<>())
                    .add(List.of(at, total == null ? 0 : total.longValue()));
        }
        List<Map<String, Object>> series = new ArrayList<>();
        lines.forEach((agent, points) -> {
            points.add(List.of(now, points.get(points.size() - 1).get(1)));
            series.add(series((String) agent.get(0), (String) agent.get(1), new ArrayList<>(points)));
        });
        series.sort(Comparator.comparingLong(DashboardCharts::growth).reversed());
        return chart(from, 0, series.subList(0, Math.min(TOP_AGENTS, series.size())));
    }

    @SuppressWarnings("unchecked")
    private static long growth(Map<String, Object> series) {
        List<List<Object>> points = (List<List<Object>>) series.get("points");
        return ((Number) points.get(points.size() - 1).get(1)).longValue() - ((Number) points.get(0).get(1)).longValue();
    }

    /** Rows of camel-sql for JSON: timestamps as ISO-8601 (UTC), like the rest of the API. */
    public static List<Map<String, Object>> rows(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Map<String, Object> r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            r.forEach((k, v) -> row.put(k, v instanceof Timestamp t ? t.toInstant().toString() : v));
            out.add(row);
        }
        return out;
    }

    private static Map<String, Object> series(String gateway, String agentId, List<Object> points) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("gateway", gateway);
        if (agentId != null) {
            s.put("agentId", agentId);
        }
        s.put("points", points);
        return s;
    }

    private static Map<String, Object> chart(long fromMs, int stepSeconds, List<Map<String, Object>> series) {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("from", Instant.ofEpochMilli(fromMs).toString());
        chart.put("to", Instant.now().toString());
        if (stepSeconds > 0) {
            chart.put("stepSeconds", stepSeconds);
        }
        chart.put("series", series);
        return chart;
    }
}
