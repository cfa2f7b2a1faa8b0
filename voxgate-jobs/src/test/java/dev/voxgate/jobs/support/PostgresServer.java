package dev.voxgate.jobs.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL the integration tests use: the machine's own on 127.0.0.1:5432 (trust auth, user
 * {@code postgres}, database {@code test}) when it answers, else an embedded one (zonky) started
 * once per JVM. {@code -Dvoxgate.test.postgres=embedded} forces the embedded one.
 */
public final class PostgresServer {
    private static PostgresServer instance;

    private final String host;
    private final int port;
    private final String adminDatabase;
    private final String kind;

    private PostgresServer(String host, int port, String adminDatabase, String kind) {
        this.host = host;
        this.port = port;
        this.adminDatabase = adminDatabase;
        this.kind = kind;
    }

    public static synchronized PostgresServer get() {
        if (instance == null) {
            instance = find();
            System.err.println("voxgate-jobs tests use the " + instance.kind);
        }
        return instance;
    }

    private static PostgresServer find() {
        if (!"embedded".equals(System.getProperty("voxgate.test.postgres"))) {
            DriverManager.setLoginTimeout(3);
            try (Connection ignored = DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=3", "postgres", "")) {
                return new PostgresServer("127.0.0.1", 5432, "test", "local PostgreSQL on 127.0.0.1:5432");
            } catch (SQLException e) {
                System.err.println("PostgreSQL on 127.0.0.1:5432 does not answer (" + e.getMessage()
                        + "); starting an embedded one");
            }
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }));
            return new PostgresServer("127.0.0.1", pg.getPort(), "postgres", "embedded PostgreSQL on port "
                    + pg.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "no PostgreSQL for the tests: 127.0.0.1:5432 does not answer and the embedded one did not start",
                    e);
        }
    }

    public String kind() {
        return kind;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** {@code postgresql://postgres@host:port/db}: the form operators put in {@code DATABASE_URL}. */
    public String databaseUrl(String database) {
        return "postgresql://postgres@" + host + ":" + port + "/" + database;
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl(adminDatabase), "postgres",
                ""); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
