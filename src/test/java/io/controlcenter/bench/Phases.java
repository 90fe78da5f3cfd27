package io.controlcenter.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.controlcenter.bench.Results.log;
import static io.controlcenter.bench.Results.ms;
import static io.controlcenter.bench.Results.percentiles;

/**
 * The measured phases on a running Control Center, the same for one load gateway and many: the throughput ramp and
 * its hold, and latency. A phase at a rate sends that many events per second in all, an equal share on each gateway
 * ({@link LoadGateways#run}); it is checked per gateway: each sent on schedule, each dashboard received each of its
 * gateways' sessions.changed once and in order, and the event log holds, per gateway, as many rows of each stored
 * event as that gateway sent.
 */
final class Phases {

    /**
     * The ramp: steps of {@code stepMs} from {@code start} events/s, times {@code factor} while they keep up (up to
     * {@code max}), then (not in the quick run) one step halfway back; then a hold of {@code holdMs} at the best.
     * {@code fixedRate} above 0: only the hold, at that rate.
     */
    record Plan(long stepMs, double start, double factor, double max, long holdMs, double fixedRate, boolean quick) {
    }

    private final LoadGateways gateways;
    private final SseLoad sse;
    private final BundleProcess bundle;
    private final Plan plan;

    Phases(LoadGateways gateways, SseLoad sse, BundleProcess bundle, Plan plan) {
        this.gateways = gateways;
        this.sse = sse;
        this.bundle = bundle;
        this.plan = plan;
    }

    /** The ramp, then the hold at the highest rate kept up (stepping down by 20 % until one holds, three more tries). */
    Map<String, Object> throughput(Map<String, Object> memory) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> ramp = new ArrayList<>();
        double best = plan.fixedRate;
        double failed = 0;
        for (double rate = plan.start; plan.fixedRate == 0 && rate <= plan.max; rate *= plan.factor) {
            Map<String, Object> step = step(rate);
            ramp.add(step);
            if (!(Boolean) step.get("keptUp")) {
                failed = rate;
                break;
            }
            best = rate;
        }
        if (failed > 0 && best > 0 && !plan.quick) {
            double mid = Math.round((best + failed) / 2 / 100) * 100.0;
            Map<String, Object> step = step(mid);
            ramp.add(step);
            if ((Boolean) step.get("keptUp")) {
                best = mid;
            }
        }
        out.put("ramp", ramp);
        double rate = best > 0 ? best : plan.start / 2;
        Map<String, Object> hold = hold(rate, memory);
        List<Map<String, Object>> failedHolds = new ArrayList<>();
        // a 10 s step can pass on buffers alone: step down by 20 % until 60 s hold (at most three more tries)
        for (int i = 0; i < 3 && !(Boolean) hold.get("held") && !plan.quick && plan.fixedRate == 0; i++) {
            failedHolds.add(hold);
            rate = Math.round(rate * 0.8 / 100) * 100.0;
            hold = hold(rate, memory);
        }
        out.put("failedHolds", failedHolds);
        out.putAll(hold);
        return out;
    }

    /** One ramp step: kept up when every gateway sent on schedule and every client had every event within 1 s. */
    private Map<String, Object> step(double rate) throws Exception {
        sse.reset(gateways.nextLabels(), false);
        LoadGateways.Run p = gateways.run(rate, plan.stepMs);
        long end = System.nanoTime();
        boolean delivered = sse.awaitLabels(p.endLabels(), 1_000);
        boolean onSchedule = p.onSchedule(0.97);
        if (!delivered) {
            sse.awaitLabels(p.endLabels(), 300_000); // drain before what comes next
        }
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("rate", Math.round(rate));
        step.put("achieved", Math.round(p.achievedRate()));
        step.put("drainMs", ms(System.nanoTime() - end));
        step.put("keptUp", delivered && onSchedule);
        log("ramp %6.0f events/s: sent %6.0f/s, %s", rate, p.achievedRate(),
                delivered && onSchedule ? "kept up" : "fell behind (drained in " + step.get("drainMs") + " ms)");
        return step;
    }

    private Map<String, Object> hold(double rate, Map<String, Object> memory) throws Exception {
        sse.reset(gateways.nextLabels(), false);
        AtomicLong maxRss = new AtomicLong();
        AtomicLong maxPg = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRss.accumulateAndGet(bundle.rssKb(), Math::max);
                maxPg.accumulateAndGet(bundle.postgresPssKb(), Math::max);
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        LoadGateways.Run p = gateways.run(rate, plan.holdMs);
        long end = System.nanoTime();
        boolean delivered = sse.awaitLabels(p.endLabels(), 5_000);
        long drainMs = ms(System.nanoTime() - end);
        if (!delivered) {
            sse.awaitLabels(p.endLabels(), 300_000);
        }
        sampler.interrupt();
        sampler.join();
        memory.put("rssUnderLoadMaxMb", Math.max(maxRss.get() / 1024, Results.num(memory, "rssUnderLoadMaxMb")));
        memory.put("postgresPssUnderLoadMaxMb", maxPg.get() / 1024);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heldRate", Math.round(rate));
        out.put("seconds", plan.holdMs / 1000);
        out.put("achievedRate", Math.round(p.achievedRate()));
        out.put("eventsSent", p.sent());
        out.put("sentByEvent", p.sentByEvent());
        out.put("heldStoredEventsPerSecond", Math.round(p.stored() * 1e9 / Math.max(1, p.nanos())));
        out.put("sseClients", sse.clients.size());
        out.put("sessionUpdatesPerClient", p.labels());
        Map<String, Object> delivery = delivery(p.endLabels(), -1);
        out.putAll(delivery);
        out.put("deliveredWithinMs", delivered ? drainMs : -1);
        Map<String, Long> stored = new LinkedHashMap<>();
        Map<String, Object> byGateway = new LinkedHashMap<>();
        boolean dbOk = true;
        for (int g = 0; g < gateways.size(); g++) {
            Phase phase = p.phases().get(g);
            Map<String, Long> own = storedBySeq(gateways.names.get(g), phase);
            own.forEach((k, v) -> stored.merge(k, v, Long::sum));
            boolean ok = storedMatchesSent(phase.sentByEvent(), own);
            dbOk &= ok;
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("achievedRate", Math.round(phase.achievedRate()));
            one.put("eventsSent", phase.sent);
            one.put("sessionUpdatesPerClient", phase.labels());
            one.putAll(delivery(p.endLabels(), g));
            one.put("storedMatchesSent", ok);
            byGateway.put(gateways.names.get(g), one);
        }
        out.put("storedByEvent", stored);
        out.put("storedMatchesSent", dbOk);
        if (gateways.size() > 1) {
            out.put("byGateway", byGateway);
        }
        boolean held = p.onSchedule(0.99) && delivered && Results.num(delivery, "lostAtClients") == 0
                && Results.num(delivery, "duplicatesAtClients") == 0 && Results.num(delivery, "outOfOrderAtClients") == 0
                && dbOk;
        out.put("held", held);
        log("hold %.0f events/s for %d s: sent %.0f/s (%.0f stored/s), lost %d, duplicates %d, stored=sent %s -> %s",
                rate, plan.holdMs / 1000, p.achievedRate(), ((Number) out.get("heldStoredEventsPerSecond")).doubleValue(),
                delivery.get("lostAtClients"), delivery.get("duplicatesAtClients"), dbOk, held ? "HELD" : "NOT HELD");
        return out;
    }

    /** Lost, duplicated and out-of-order session.updates at every client: of gateway {@code g}, or all (-1). */
    private Map<String, Object> delivery(long[] endLabels, int g) {
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        for (SseLoad.Client c : sse.clients) {
            lost += c.missing(endLabels, g);
            duplicates += c.duplicates(g);
            outOfOrder += c.outOfOrder(g);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lostAtClients", lost);
        out.put("duplicatesAtClients", duplicates);
        out.put("outOfOrderAtClients", outOfOrder);
        out.put("dashboardReconnects", sse.reconnects()); // dropped as too slow, back with Last-Event-ID
        return out;
    }

    /** Whether the event log holds as many rows of each stored event (all but agent and tick) as were sent. */
    private static boolean storedMatchesSent(Map<String, Long> sent, Map<String, Long> stored) {
        return sent.entrySet().stream().filter(e -> !"agent".equals(e.getKey()) && !"tick".equals(e.getKey()))
                .allMatch(e -> e.getValue().equals(stored.getOrDefault(e.getKey(), 0L)));
    }

    /** Event-log rows of a gateway's phase (its seq range) by event name, once the last of them is stored (up to 30 s). */
    private Map<String, Long> storedBySeq(String gateway, Phase p) throws Exception {
        long expected = p.stored();
        Map<String, Long> out = new LinkedHashMap<>();
        long deadline = System.currentTimeMillis() + 30_000;
        try (Connection c = DriverManager.getConnection(bundle.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT event, count(*) FROM event_log WHERE gateway = ?"
                     + " AND seq BETWEEN ? AND ? AND received_at > now() - interval '1 hour' GROUP BY event ORDER BY event")) {
            do {
                out.clear();
                ps.setString(1, gateway);
                ps.setLong(2, p.firstSeq);
                ps.setLong(3, p.lastSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
                if (out.values().stream().mapToLong(Long::longValue).sum() >= expected) {
                    break;
                }
                Thread.sleep(100);
            } while (System.currentTimeMillis() < deadline);
        }
        return out;
    }

    /** Latency at {@code rate} for {@code ms} (after a warm-up of up to 3 s): send to receipt of each session.update. */
    Map<String, Object> latency(double rate, long ms) throws Exception {
        gateways.run(rate, Math.min(3_000, ms)); // warm-up of the new clients
        sse.awaitLabels(gateways.nextLabels(), 30_000);
        sse.reset(gateways.nextLabels(), true);
        LoadGateways.Run p = gateways.run(rate, ms);
        boolean delivered = sse.awaitLabels(p.endLabels(), 10_000);
        List<long[]> perGateway = new ArrayList<>();
        for (int g = 0; g < gateways.size(); g++) {
            perGateway.add(sse.latencies(g));
        }
        long[] l = perGateway.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rate", Math.round(rate));
        out.put("achievedRate", Math.round(p.achievedRate()));
        out.put("seconds", ms / 1000);
        out.put("sseClients", sse.clients.size());
        out.put("samples", l.length);
        out.putAll(percentiles(l));
        out.put("lostAtClients", sse.clients.stream().mapToLong(c -> c.missing(p.endLabels(), -1)).sum());
        out.put("dashboardReconnects", sse.reconnects());
        out.put("allDelivered", delivered);
        if (gateways.size() > 1) {
            Map<String, Object> byGateway = new LinkedHashMap<>();
            for (int g = 0; g < gateways.size(); g++) {
                int gw = g;
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("samples", perGateway.get(g).length);
                one.putAll(percentiles(perGateway.get(g)));
                one.put("lostAtClients", sse.clients.stream().mapToLong(c -> c.missing(p.endLabels(), gw)).sum());
                byGateway.put(gateways.names.get(g), one);
            }
            out.put("byGateway", byGateway);
        }
        log("latency at %.0f events/s, %d clients: p50 %s ms, p99 %s ms, max %s ms (%d samples)", rate,
                sse.clients.size(), out.get("p50Ms"), out.get("p99Ms"), out.get("maxMs"), l.length);
        return out;
    }
}
