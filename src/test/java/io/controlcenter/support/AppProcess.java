package io.controlcenter.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Control Center as an operating-system process ({@code java ... io.controlcenter.Application}, or {@code java -jar}),
 * with its output in a file. Stopped (SIGTERM, then killed) by {@link #close()}.
 */
public final class AppProcess implements AutoCloseable {

    public final Process process;
    public final Path log;

    private AppProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <jvmArgs> <main>} in {@code workDir} with {@code env} added to this process's environment (minus
     * any Control Center variable it has). {@code main} is {@code -jar file} or {@code -cp path class}.
     */
    public static AppProcess start(Path workDir, Map<String, String> env, List<String> jvmArgs, String... main)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(jvmArgs);
        command.addAll(List.of(main));
        Path log = Files.createTempFile(workDir, "app-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CC_") || k.startsWith("GATEWAY_") || k.startsWith("DB_")
                || k.startsWith("OPENCLAW_"));
        pb.environment().putAll(env);
        return new AppProcess(pb.start(), log);
    }

    /** Makes {@code dir} a working directory for Control Center: a copy of this project's routes/ in it. */
    public static Path workDir(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("routes"));
        try (var routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.toList()) {
                Files.copy(route, dir.resolve("routes").resolve(route.getFileName()));
            }
        }
        return dir;
    }

    /** Starts the Application class from this JVM's class path (no jar needed). */
    public static AppProcess startFromClassPath(Path workDir, Map<String, String> env) throws IOException {
        return startFromClassPath(workDir, env, List.of());
    }

    /** Starts the Application class from this JVM's class path with {@code jvmArgs} (e.g. -Xmx256m, -Dkey=value). */
    public static AppProcess startFromClassPath(Path workDir, Map<String, String> env, List<String> jvmArgs)
            throws IOException {
        return start(workDir, env, jvmArgs, "-cp", System.getProperty("java.class.path"), "io.controlcenter.Application");
    }

    /** The largest resident set the process has had so far (VmHWM), in MB; -1 when it has ended. */
    public long peakRssMb() {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                    .filter(l -> l.startsWith("VmHWM:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Waits for the process to end by itself; its exit status. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("still running after " + seconds + " s:\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM; killed if still running after 20 s. Returns whether it ended by itself. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
