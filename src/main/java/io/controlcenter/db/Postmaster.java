package io.controlcenter.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The main process of the embedded server, as {@code postmaster.pid} names it. zonky starts the server with
 * {@code pg_ctl}, so it is not a child of this JVM: whether it still runs is read from its process (Linux's /proc,
 * where the embedded binaries run).
 */
final class Postmaster {

    /** Empty when the pid could not be read: then it counts as running. */
    private final Optional<ProcessHandle> process;

    private Postmaster(Optional<ProcessHandle> process) {
        this.process = process;
    }

    /** The server now running on {@code dataDir}. */
    static Postmaster of(Path dataDir) {
        return new Postmaster(DataDirectory.postmasterPid(dataDir).flatMap(ProcessHandle::of));
    }

    /** Its pid, or -1 when unknown. */
    long pid() {
        return process.map(ProcessHandle::pid).orElse(-1L);
    }

    /** False once it has died (killed, out of memory), also while it waits to be reaped (a zombie). */
    boolean running() {
        return process.map(p -> p.isAlive() && !zombie(p)).orElse(true);
    }

    /**
     * True when the dead postmaster's process is gone entirely. A zombie still holds its pid, and a new server on the
     * data directory refuses to start while the pid in {@code postmaster.pid} exists.
     */
    boolean reaped() {
        return process.map(p -> !p.isAlive()).orElse(true);
    }

    /** True when it is a zombie that only this JVM could reap (it runs as PID 1 without an init), which it never does. */
    boolean zombieOfThisProcess() {
        return process.map(p -> p.isAlive() && zombie(p)
                && p.parent().map(ProcessHandle::pid).orElse(-1L) == ProcessHandle.current().pid()).orElse(false);
    }

    /** The state letter of /proc/pid/stat is Z. */
    private static boolean zombie(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            int end = stat.lastIndexOf(')');
            return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException e) {
            return false; // gone: isAlive says so
        }
    }
}
