package dev.voxgate.server.jobs;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.voxgate.server.config.ConfigException;
import org.flywaydb.core.Flyway;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The job database: SQLite in {@code DATA_DIR/voxgate.db} by default (WAL, 10 s busy timeout, so
 * workers and requests do not trip over "database is locked"), PostgreSQL when
 * {@code DATABASE_URL} says so. Flyway brings the project's tables up to date at start-up.
 */
public final class JobsDatabase implements AutoCloseable {
    public enum Kind { SQLITE, POSTGRESQL }

    private final HikariDataSource dataSource;
    private final Kind kind;

    private JobsDatabase(HikariDataSource dataSource, Kind kind) {
        this.dataSource = dataSource;
        this.kind = kind;
    }

    public static JobsDatabase open(String databaseUrl, Path dataDir) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("voxgate-jobs");
        Kind kind;
        if (databaseUrl == null || databaseUrl.isBlank()) {
            kind = Kind.SQLITE;
            c.setJdbcUrl("jdbc:sqlite:" + dataDir.resolve("voxgate.db").toAbsolutePath());
            c.addDataSourceProperty("busy_timeout", "10000");
            c.addDataSourceProperty("journal_mode", "WAL");
            c.addDataSourceProperty("foreign_keys", "true");
            // Take the write lock at BEGIN: a deferred transaction that reads and then writes fails with
            // SQLITE_BUSY_SNAPSHOT when another connection wrote in between, and no busy timeout helps then.
            c.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            c.setMaximumPoolSize(4);
        } else {
            kind = Kind.POSTGRESQL;
            jdbcForPostgres(databaseUrl.strip(), c);
            c.setMaximumPoolSize(8);
        }
        HikariDataSource ds;
        try {
            java.nio.file.Files.createDirectories(dataDir);
            ds = new HikariDataSource(c);
        } catch (Exception e) {
            throw new ConfigException("cannot open the job database (" + (kind == Kind.SQLITE ? dataDir.resolve("voxgate.db") : "DATABASE_URL")
                    + "): " + e.getMessage());
        }
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/jobs")
                .table("voxgate_schema_history").load().migrate();
        return new JobsDatabase(ds, kind);
    }

    /** {@code postgresql://user:pass@host:port/db?x=y}, {@code postgres://…} or {@code jdbc:postgresql://…}. */
    static void jdbcForPostgres(String url, HikariConfig c) {
        if (url.startsWith("jdbc:postgresql:")) {
            c.setJdbcUrl(url);
            return;
        }
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new ConfigException("DATABASE_URL=" + redact(url) + " is not a postgresql:// URL (leave it empty for SQLite)");
        }
        URI u = URI.create(url);
        String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
        c.setJdbcUrl("jdbc:postgresql://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + u.getRawPath() + query);
        if (u.getRawUserInfo() != null) {
            String[] parts = u.getRawUserInfo().split(":", 2);
            c.setUsername(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
            if (parts.length > 1) c.setPassword(URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
    }

    private static String redact(String url) {
        return url.replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
