package io.controlcenter.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The established TCP connections to a gateway's port from watched processes (the Control Center instances), as the
 * kernel lists them ({@code ss -tnp}), sampled every 100 ms from the start until closed: for a peer that does not
 * count its clients itself (the real gateway lists no backend connection in its presence). Records the most seen at
 * once and each change.
 */
public final class GatewaySockets implements AutoCloseable {

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private final int port;
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();
    private final AtomicInteger most = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final List<String> history = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Map<Long, Integer> current = Map.of();
    private volatile boolean running = true;
    private final Thread sampler;

    public GatewaySockets(int port) {
        this.port = port;
        this.sampler = new Thread(this::sample, "gateway-sockets-" + port);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Counts the connections of process {@code pid} from now on. */
    public void watch(long pid) {
        pids.add(pid);
    }

    /** The watched processes' connections to the port, by process, as last sampled (a fresh sample is awaited). */
    public Map<Long, Integer> byPid() {
        int seen = samples.get();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (samples.get() == seen && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        return current;
    }

    /** The most connections the watched processes held at once in any sample. */
    public int mostAtOnce() {
        return most.get();
    }

    public int samples() {
        return samples.get();
    }

    /** Each change of the connections by process, in order. */
    public List<String> history() {
        return List.copyOf(history);
    }

    private void sample() {
        Map<Long, Integer> last = null;
        while (running) {
            try {
                Map<Long, Integer> now = list();
                int total = now.values().stream().mapToInt(Integer::intValue).sum();
                most.accumulateAndGet(total, Math::max);
                if (!now.equals(last)) {
                    history.add(now.toString());
                    last = now;
                }
                current = now;
                samples.incrementAndGet();
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                history.add("ss failed: " + e.getMessage());
            }
        }
    }

    private Map<Long, Integer> list() throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-Htnp", "state", "established", "( dport = :" + port + " )")
                .redirectErrorStream(true).start();
        List<String> lines;
        try (var in = ss.inputReader()) {
            lines = new ArrayList<>(in.lines().toList());
        }
        ss.waitFor(5, TimeUnit.SECONDS);
        Map<Long, Integer> byPid = new HashMap<>();
        for (String line : lines) {
            Matcher m = PID.matcher(line);
            if (m.find() && pids.contains(Long.parseLong(m.group(1)))) {
                byPid.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
            }
        }
        return Map.copyOf(byPid);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join(5_000);
    }
}
