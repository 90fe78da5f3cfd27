package io.controlcenter.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;

/**
 * The load gateways of a run, driven as one load: a phase at a total rate runs on every gateway at once, each at an
 * equal share. The single-gateway suite has one (Control Center's gateway {@code default}); the multi-gateway run
 * starts several on one Vert.x, each on a free port with its own token and its own event mix.
 */
final class LoadGateways implements AutoCloseable {

    /** The gateway Control Center configures from {@code gateway.*} (GATEWAY_WS_URL, OPENCLAW_GATEWAY_TOKEN). */
    static final String PRIMARY = "default";

    final List<String> names;
    final List<LoadGateway> gateways;
    /** Closed with the gateways when they were started here. */
    private final Vertx vertx;

    private LoadGateways(List<String> names, List<LoadGateway> gateways, Vertx vertx) {
        this.names = List.copyOf(names);
        this.gateways = List.copyOf(gateways);
        this.vertx = vertx;
    }

    /** The single-gateway suite's one load gateway, as Control Center's gateway {@code default}. */
    static LoadGateways of(LoadGateway gateway) {
        return new LoadGateways(List.of(PRIMARY), List.of(gateway), null);
    }

    /**
     * Starts {@code count} load gateways named {@code default}, {@code gw-1}, {@code gw-2}, ..., each with a fleet of
     * {@code agents} and {@code sessions} for the sync once {@link #serve} says so, and its own live mix.
     */
    static LoadGateways start(int count, int agents, int sessions, int maxLabels, long tickIntervalMs) throws Exception {
        Vertx vertx = Vertx.vertx();
        List<String> names = new ArrayList<>();
        List<LoadGateway> gateways = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(i == 0 ? PRIMARY : "gw-" + i);
            gateways.add(new LoadGateway(vertx, new EventMix(agents, sessions, 42 + i), maxLabels, tickIntervalMs).start());
        }
        return new LoadGateways(names, gateways, vertx);
    }

    int size() {
        return gateways.size();
    }

    /** Each gateway's next label: where the dashboards' counts start. */
    long[] nextLabels() {
        return gateways.stream().mapToLong(LoadGateway::nextLabel).toArray();
    }

    /** Each gateway's send time of each label, in order. */
    List<long[]> sendNanos() {
        return gateways.stream().map(g -> g.sendNanos).toList();
    }

    /** The fleet every gateway's sync answers list from now on. */
    void serve(int agents, int sessions) {
        gateways.forEach(g -> {
            g.agentsServed = agents;
            g.sessionsServed = sessions;
        });
    }

    /** Restarts every gateway at once ({@link LoadGateway#restart}): Control Center reconnects to each and syncs. */
    void restart() {
        gateways.forEach(LoadGateway::restart);
    }

    /**
     * Control Center's environment for these gateways: the primary's GATEWAY_WS_URL and OPENCLAW_GATEWAY_TOKEN; with
     * more, CC_GATEWAYS and each other gateway N's GATEWAY_N_WS_URL and GATEWAY_N_TOKEN (N upper-case, _ for -).
     */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (size() > 1) {
            env.put("CC_GATEWAYS", String.join(",", names));
        }
        for (int i = 0; i < size(); i++) {
            String name = names.get(i);
            String prefix = "GATEWAY_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
            env.put(name.equals(PRIMARY) ? "GATEWAY_WS_URL" : prefix + "WS_URL", gateways.get(i).url());
            env.put(name.equals(PRIMARY) ? "OPENCLAW_GATEWAY_TOKEN" : prefix + "TOKEN", gateways.get(i).token);
        }
        return env;
    }

    /** Sends live events at {@code rate} per second in all for {@code durationMs}, an equal share on every gateway. */
    Run run(double rate, long durationMs) throws Exception {
        List<CompletableFuture<Phase>> running = gateways.stream().map(g -> g.run(rate / size(), durationMs)).toList();
        List<Phase> phases = new ArrayList<>();
        for (CompletableFuture<Phase> p : running) {
            phases.add(p.get(durationMs * 4, TimeUnit.MILLISECONDS));
        }
        return new Run(phases);
    }

    @Override
    public void close() throws Exception {
        for (LoadGateway g : gateways) {
            g.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** What one phase sent on every gateway (in the gateways' order). */
    record Run(List<Phase> phases) {

        long sent() {
            return phases.stream().mapToLong(p -> p.sent).sum();
        }

        /** From the first gateway's start to the last one's end. */
        long nanos() {
            return phases.stream().mapToLong(p -> p.endNanos).max().orElse(0)
                    - phases.stream().mapToLong(p -> p.startNanos).min().orElse(0);
        }

        /** Events per second sent in all. */
        double achievedRate() {
            return sent() * 1e9 / Math.max(1, nanos());
        }

        /** Whether every gateway sent at least {@code fraction} of its share's schedule. */
        boolean onSchedule(double fraction) {
            return phases.stream().allMatch(p -> p.achievedRate() >= p.rate * fraction);
        }

        long stored() {
            return phases.stream().mapToLong(Phase::stored).sum();
        }

        /** sessions.changed sent, on every gateway together: what a dashboard of all gateways receives. */
        long labels() {
            return phases.stream().mapToLong(Phase::labels).sum();
        }

        long[] endLabels() {
            return phases.stream().mapToLong(p -> p.endLabel).toArray();
        }

        Map<String, Long> sentByEvent() {
            Map<String, Long> sent = new LinkedHashMap<>();
            phases.forEach(p -> p.sentByEvent().forEach((k, v) -> sent.merge(k, v, Long::sum)));
            return sent;
        }
    }
}
