package io.controlcenter.db;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded PostgreSQL running: it is Control Center's own server, so when it dies (killed, out of memory)
 * it is started again on the same data directory (PostgreSQL's crash recovery keeps every committed transaction) and
 * on the same port when that is still free, as {@link RestartPolicy} allows. Beyond the policy's limit, or when the
 * dead server cannot be replaced here, Control Center exits with {@link #EXIT_STATUS} and says why, so that whatever
 * supervises it starts it again. Watching and restarting run on one thread of their own.
 */
final class EmbeddedSupervisor implements AutoCloseable {

    /** Exit status of Control Center when its embedded server cannot be kept running. */
    static final int EXIT_STATUS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSupervisor.class);
    private static final long CHECK_MS = 500;
    /** How long a restart waits for the dead server's process to be reaped by its parent. */
    private static final long REAP_WAIT_MS = 10_000;

    private final DatabaseSettings settings;
    private final Consumer<EmbeddedPostgresServer> restarted;
    private final RestartPolicy.History history = new RestartPolicy.History();
    private final AtomicLong restarts = new AtomicLong();
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "embedded-postgres-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile EmbeddedPostgresServer server;
    /** While there is no server: since when, and why. */
    private volatile String down;
    private boolean closed;

    private EmbeddedSupervisor(DatabaseSettings settings, Consumer<EmbeddedPostgresServer> restarted,
            EmbeddedPostgresServer first) {
        this.settings = settings;
        this.restarted = restarted;
        this.server = first;
        watch.scheduleWithFixedDelay(this::check, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** Starts the server (failing as {@link EmbeddedPostgresServer#start} does) and watches it from now on. */
    static EmbeddedSupervisor start(DatabaseSettings settings, Consumer<EmbeddedPostgresServer> restarted) {
        return new EmbeddedSupervisor(settings, restarted,
                EmbeddedPostgresServer.start(settings.dataDir(), settings.embeddedPort(), settings.connectTimeout()));
    }

    /** The running server; null while it is being restarted. */
    EmbeddedPostgresServer server() {
        return server;
    }

    /** Why there is no server (it died, and since when), or null while it runs. */
    String down() {
        return server == null ? down : null;
    }

    /** Restarts made since Control Center started. */
    long restarts() {
        return restarts.get();
    }

    private void check() {
        EmbeddedPostgresServer dead = server;
        if (dead == null || dead.postmaster().running() || isClosed()) {
            return;
        }
        server = null;
        down = "the embedded PostgreSQL (pid " + dead.postmaster().pid() + ") died at "
                + DatabaseOutage.time(Instant.now());
        try {
            restart(dead, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed: Control Center stops
        }
    }

    /** Restarts as the policy allows, until one start succeeds; exits beyond the policy or when it cannot work here. */
    private void restart(EmbeddedPostgresServer dead, long diedAt) throws InterruptedException {
        RestartPolicy policy = settings.restart();
        Postmaster postmaster = dead.postmaster();
        for (boolean first = true; !isClosed(); first = false) {
            int recent = history.within(policy.period(), System.nanoTime());
            if (policy.exhausted(recent)) {
                exit((recent == 0 ? "it died, and " : "it died again after " + recent + " restart(s) within "
                        + policy.period().toSeconds() + " s: ") + policy.describe() + " allows no more");
                return;
            }
            Duration delay = policy.delayAfter(recent);
            if (first) {
                LOG.warn("The embedded PostgreSQL (pid {}) has died (killed, or out of memory); restarting it on {} in {}"
                        + " ms (restart {} of {}; its log: {})", postmaster.pid(), settings.dataDir(), delay.toMillis(),
                        recent + 1, policy.describe(), EmbeddedPostgresServer.logFile(settings.dataDir()));
            }
            Thread.sleep(delay.toMillis());
            if (!awaitReaped(postmaster)) {
                exit("its process (pid " + postmaster.pid() + ") is a zombie that only Control Center could reap: it"
                        + " runs as PID 1 without an init (in a container), so the server cannot be restarted in place."
                        + " Run the container with an init (docker run --init; Kubernetes: shareProcessNamespace: true)");
                return;
            }
            if (started(dead, diedAt)) {
                return;
            }
        }
    }

    /** One restart: true when the server runs again (or Control Center stops meanwhile). */
    private boolean started(EmbeddedPostgresServer dead, long diedAt) {
        dead.abandon();
        history.add(System.nanoTime());
        long n = restarts.incrementAndGet();
        try {
            EmbeddedPostgresServer next = EmbeddedPostgresServer.start(settings.dataDir(), port(dead.port()),
                    settings.connectTimeout());
            if (replace(next)) {
                restarted.accept(next);
                LOG.info("The embedded PostgreSQL is back on port {}, {} ms after it died (restart {} since the start;"
                        + " crash recovery included)", next.port(), (System.nanoTime() - diedAt) / 1_000_000, n);
            }
            return true;
        } catch (DatabaseStartException e) {
            down = "the embedded PostgreSQL died and did not restart: " + e.getMessage();
            LOG.warn("The embedded PostgreSQL did not restart (restart {}): {}", n, e.getMessage());
            return false;
        }
    }

    /**
     * Waits until the dead postmaster is reaped (its pid in postmaster.pid would stop the new server); false when it
     * is a zombie of this JVM, which never reaps processes it did not start.
     */
    private static boolean awaitReaped(Postmaster dead) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REAP_WAIT_MS);
        while (!dead.reaped() && System.nanoTime() < deadline) {
            if (dead.zombieOfThisProcess()) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** The port it had when it is still free (the pool follows a new one, but clients outside may not). */
    private int port(int previous) {
        if (settings.embeddedPort() != 0) {
            return settings.embeddedPort();
        }
        return EmbeddedPostgresServer.inUse(previous) == null ? previous : 0;
    }

    private synchronized boolean replace(EmbeddedPostgresServer next) {
        if (closed) {
            next.close();
            return false;
        }
        server = next;
        down = null;
        return true;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Ends Control Center: from a thread of its own, as the JVM's shutdown stops this supervisor too. */
    private void exit(String why) {
        LOG.error("The embedded PostgreSQL cannot be kept running: {}. Control Center exits with status {} so that its"
                + " supervisor (systemd, Docker's or Kubernetes' restart policy) starts it again; the server's log is {}",
                why, EXIT_STATUS, EmbeddedPostgresServer.logFile(settings.dataDir()));
        down = "the embedded PostgreSQL cannot be kept running: " + why;
        new Thread(() -> System.exit(EXIT_STATUS), "control-center-exit").start();
    }

    /** Stops watching, then stops the server (or releases the data directory of a dead one). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        watch.shutdownNow();
        try {
            // a restart under way finishes its start, sees closed and stops the new server
            watch.awaitTermination(settings.connectTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        EmbeddedPostgresServer s = server;
        if (s != null) {
            if (s.postmaster().running()) {
                s.close();
            } else {
                s.abandon();
            }
        }
    }
}
