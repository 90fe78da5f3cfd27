package io.controlcenter.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database of Control Center as a Camel service: on start, the embedded server (no {@code db.url}) or the wait for
 * the external one, then the connection pool and the schema migrations; on stop, the pool and the embedded server.
 * <p>
 * The pool (HikariCP) replaces dead connections by itself: a connection idle for more than half a second is validated
 * ({@code isValid}) before it is lent, and one whose statement failed with a connection error is dropped. A query waits
 * at most {@code db.pool.connection-timeout} for a connection. The embedded server is restarted when it dies
 * ({@link EmbeddedSupervisor}); the pool then follows it to its port and drops the connections to the dead one.
 */
public final class Database extends ServiceSupport {

    /** Registry name of the pooled {@link DataSource}; camel-sql endpoints autowire it. */
    public static final String DATA_SOURCE = "dataSource";
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final DatabaseSettings settings;
    private final CamelContext context;
    private volatile CountDownLatch stopped = new CountDownLatch(1);
    private volatile EmbeddedSupervisor embedded;
    /** The embedded server's address for the pool: its port changes if a restart had to take another. */
    private volatile PGSimpleDataSource embeddedSource;
    private volatile HikariDataSource pool;
    private Thread shutdownHook;

    public Database(DatabaseSettings settings, CamelContext context) {
        this.settings = settings;
        this.context = context;
    }

    /** The connection pool; there once the service has started. */
    public DataSource dataSource() {
        if (pool == null) {
            throw new IllegalStateException("the database has not been started");
        }
        return pool;
    }

    @Override
    protected void doStart() {
        stopped = new CountDownLatch(1);
        try {
            if (settings.embedded()) {
                embedded = EmbeddedSupervisor.start(settings, this::follow);
                shutdownHook = new Thread(this::stopAfterCamel, "control-center-db-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
                PGSimpleDataSource local = new PGSimpleDataSource();
                local.setServerNames(new String[] {"localhost"});
                local.setPortNumbers(new int[] {embedded.server().port()});
                local.setDatabaseName(EmbeddedPostgresServer.DATABASE);
                local.setUser(EmbeddedPostgresServer.USER);
                embeddedSource = local;
                pool = pool(config -> config.setDataSource(local));
            } else {
                ConnectionProbe.await(settings);
                pool = pool(this::external);
                LOG.info("Using {}", settings);
            }
            Migrations.run(pool);
        } catch (RuntimeException e) {
            doStop();
            throw e;
        }
    }

    @Override
    protected void doStop() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException jvmShuttingDown) {
                // the hook is running or about to; it finds the server stopped
            }
        }
        if (pool != null) {
            pool.close();
            pool = null;
        }
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
        stopped.countDown();
    }

    /**
     * On JVM exit (SIGTERM): while Camel runs, its own shutdown hook stops the routes first and this service after
     * them, so the routes' last writes still reach the database; wait for that. Stop here only if Camel does not (the
     * start failed, or Camel's shutdown took too long).
     */
    private void stopAfterCamel() {
        if (context.isStarted() || context.isStopping()) {
            long waitSeconds = context.getShutdownStrategy().getTimeout() + 5;
            try {
                if (stopped.await(waitSeconds, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stop();
    }

    private HikariDataSource pool(Consumer<HikariConfig> target) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("control-center-db");
        target.accept(config);
        config.setMaximumPoolSize(settings.poolMax());
        config.setMinimumIdle(Math.min(2, settings.poolMax()));
        long timeout = settings.poolTimeout().toMillis();
        config.setConnectionTimeout(timeout);
        config.setValidationTimeout(Math.max(250, Math.min(2_000, timeout / 2)));
        return new HikariDataSource(config);
    }

    private void external(HikariConfig config) {
        config.setJdbcUrl(settings.url());
        if (!settings.user().isEmpty()) {
            config.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
    }

    /** The embedded server was restarted: connect to its port from now on, and drop the connections to the dead one. */
    private void follow(EmbeddedPostgresServer server) {
        PGSimpleDataSource source = embeddedSource;
        if (source != null) {
            source.setPortNumbers(new int[] {server.port()});
        }
        HikariDataSource p = pool;
        if (p != null && p.getHikariPoolMXBean() != null) {
            p.getHikariPoolMXBean().softEvictConnections();
        }
    }

    /** Restarts of the embedded server since the start (0 with an external one). */
    public long embeddedRestarts() {
        EmbeddedSupervisor e = embedded;
        return e == null ? 0 : e.restarts();
    }

    /**
     * Null when the database accepts a new connection within {@code timeout}, else why not (never with the password).
     * A new connection rather than one from the pool: the pool would wait {@code db.connect-timeout} for one.
     */
    public String unreachable(Duration timeout) {
        EmbeddedSupervisor supervisor = embedded;
        EmbeddedPostgresServer server = supervisor == null ? null : supervisor.server();
        if (supervisor != null && server == null) {
            return supervisor.down();
        }
        String url = settings.embedded() ? (server == null ? null : server.jdbcUrl()) : settings.url();
        if (url == null || pool == null) {
            return "the database is not running";
        }
        try (Connection c = settings.embedded()
                ? DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "")
                : ConnectionProbe.open(url, settings, timeout.toMillis())) {
            return c.isValid((int) Math.max(1, timeout.toSeconds())) ? null : "the connection is not valid";
        } catch (SQLException e) {
            return ConnectionProbe.redact(String.valueOf(e.getMessage()), settings.password());
        }
    }

    public DatabaseSettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "Database(" + settings + ")";
    }
}
