package dev.voxgate.jobs.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The job database: a connection pool, migrated by Flyway when opened. JobRunr's storage provider
 * and {@link JobRepository} share the pool.
 *
 * <p>SQLite runs with a 10 s busy timeout, WAL (readers never wait for the writer), foreign keys
 * on, and {@code BEGIN IMMEDIATE} transactions: a deferred transaction that reads and then writes
 * fails at once with SQLITE_BUSY when another connection wrote in between, and no busy timeout
 * helps then. With these, JobRunr's workers, its poller and the API share one file without
 * "database is locked".
 */
public final class Database implements AutoCloseable {

    public enum Vendor {
        SQLITE, POSTGRESQL;

        /** The Flyway folder with this vendor's migrations. */
        String migrations() {
            return "classpath:db/voxgate-jobs/" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** Flyway's history table for this module's migrations (its own, so the server's can coexist). */
    static final String HISTORY_TABLE = "voxgate_jobs_schema_history";
    static final int BUSY_TIMEOUT_MS = 10_000;

    private final HikariDataSource pool;
    private final Vendor vendor;
    private final String description;

    private Database(HikariDataSource pool, Vendor vendor, String description) {
        this.pool = pool;
        this.vendor = vendor;
        this.description = description;
    }

    /**
     * Opens the pool and brings the {@code jobs} table up to date.
     *
     * @param maxConnections the pool's size: the workers plus JobRunr's own needs and the API's
     * @throws IOException naming the database when it cannot be opened or migrated
     */
    public static Database open(DatabaseTarget target, int maxConnections) throws IOException {
        HikariConfig c = new HikariConfig();
        c.setPoolName("voxgate-jobs");
        c.setMaximumPoolSize(Math.max(2, maxConnections));
        c.setMinimumIdle(1);
        Vendor vendor;
        String description;
        switch (target) {
            case DatabaseTarget.Sqlite s -> {
                vendor = Vendor.SQLITE;
                Path file = s.file().toAbsolutePath();
                description = "SQLite " + file;
                if (file.getParent() != null) Files.createDirectories(file.getParent());
                c.setDataSource(sqlite(file));
            }
            case DatabaseTarget.Postgres p -> {
                vendor = Vendor.POSTGRESQL;
                description = "PostgreSQL " + p.jdbcUrl();
                c.setJdbcUrl(p.jdbcUrl());
                if (p.user() != null) c.setUsername(p.user());
                if (p.password() != null) c.setPassword(p.password());
            }
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new IOException("cannot connect to the job database (" + description + "): " + rootMessage(e), e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations(vendor.migrations())
                    .table(HISTORY_TABLE)
                    // An existing database (e.g. shared with other software) gets our history table on first start.
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new IOException("cannot prepare the job database (" + description + "): " + rootMessage(e), e);
        }
        return new Database(pool, vendor, description);
    }

    private static SQLiteDataSource sqlite(Path file) {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.enforceForeignKeys(true);
        cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = new SQLiteDataSource(cfg);
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    public DataSource dataSource() {
        return pool;
    }

    public Vendor vendor() {
        return vendor;
    }

    /** {@code SQLite /path/voxgate.db} or {@code PostgreSQL jdbc:postgresql://…} (no password), for logs. */
    public String description() {
        return description;
    }

    /** True when a connection answers a trivial query, for readiness checks. */
    public boolean isReachable() {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
