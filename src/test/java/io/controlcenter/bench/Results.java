package io.controlcenter.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** What the benchmark runs share to report: the machine, targets, the table, the result file, small helpers. */
final class Results {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Results() {
    }

    /** Cores, memory, CPU, OS, JVM and the load average now (loadAverageAfter is added at the end of a run). */
    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        m.put("memoryMb", os.getTotalMemorySize() / (1024 * 1024));
        m.put("cpu", cpuModel());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("loadAverageBefore", loadAverage());
        return m;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** Writes {@code result} as {@code <name>-<UTC time>.json} in {@code dir}; returns the file. */
    static Path write(Map<String, Object> result, Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path file = dir.resolve(name + "-" + stamp + ".json");
        JSON.writeValue(file.toFile(), result);
        return file;
    }

    static Map<String, Object> target(String name, String target, String value, boolean met) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("target", target);
        m.put("value", value);
        m.put("met", met);
        return m;
    }

    /** The table's head: the title with the machine and its load, then a row per target (met yes / NO). */
    @SuppressWarnings("unchecked")
    static String targetsTable(String title, Map<String, Object> result) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> m = (Map<String, Object>) result.get("machine");
        sb.append(line(title + " (" + result.get("mode") + ") - %s cores, %s MB, %s; load %s -> %s", m,
                "cores", "memoryMb", "jvm", "loadAverageBefore", "loadAverageAfter"));
        sb.append(String.format("%-62s %-30s %-25s %s%n", "figure", "value", "target", "met"));
        for (Map<String, Object> t : (List<Map<String, Object>>) result.get("targets")) {
            sb.append(String.format("%-62s %-30s %-25s %s%n", t.get("name"), t.get("value"), t.get("target"),
                    Boolean.TRUE.equals(t.get("met")) ? "yes" : "NO"));
        }
        return sb.toString();
    }

    /** One line of the table: {@code format}'s %s filled with the section's values of {@code keys}. */
    static String line(String format, Map<String, Object> section, String... keys) {
        Object[] values = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = section.get(keys[i]);
        }
        return String.format(format + "%n", values);
    }

    /** The table's line of a throughput hold. */
    static String throughputLine(Map<String, Object> hold) {
        return line("throughput: %s events/s (%s stored/s) for %s s to %s clients; sent %s; lost %s, duplicates %s, "
                        + "out of order %s; stored = sent: %s; dashboards dropped and back so far: %s", hold, "heldRate",
                "heldStoredEventsPerSecond", "seconds", "sseClients", "sentByEvent", "lostAtClients",
                "duplicatesAtClients", "outOfOrderAtClients", "storedMatchesSent", "dashboardReconnects");
    }

    /** The table's line of memory: RSS after the syncs and under load, PostgreSQL's PSS. */
    static String memoryLine(Map<String, Object> memory) {
        return line("memory: RSS after sync %s MB, after resync %s MB, under load max %s MB; PostgreSQL PSS after sync "
                        + "%s MB, under load %s MB", memory, "rssAfterSyncMb", "rssAfterResyncMb", "rssUnderLoadMaxMb",
                "postgresPssAfterSyncMb", "postgresPssUnderLoadMaxMb");
    }

    /** p50Ms, p99Ms and maxMs of {@code sorted} latencies (ns); null when there are none. */
    static Map<String, Object> percentiles(long[] sorted) {
        Map<String, Object> out = new LinkedHashMap<>();
        int n = sorted.length;
        out.put("p50Ms", n == 0 ? null : round2(sorted[(int) (n * 0.50)] / 1e6));
        out.put("p99Ms", n == 0 ? null : round2(sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e6));
        out.put("maxMs", n == 0 ? null : round2(sorted[n - 1] / 1e6));
        return out;
    }

    static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long num(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temp dir left behind
        }
    }
}
