package dev.voxgate.jobs.support;

import dev.voxgate.jobs.db.DatabaseTarget;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/** A fresh, empty database for one test: a SQLite file in a temporary folder, or a new PostgreSQL database. */
public sealed interface TestDatabase extends AutoCloseable {

    DatabaseTarget target();

    /** A plain connection for checks behind the code's back (JobRunr's tables, raw rows). */
    Connection connect() throws SQLException;

    @Override
    void close() throws SQLException;

    static TestDatabase sqlite(Path dir) {
        return new Sqlite(dir.resolve("voxgate.db"));
    }

    static TestDatabase postgres() throws SQLException {
        PostgresServer server = PostgresServer.get();
        String name = "voxgate_jobs_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        server.execute("CREATE DATABASE " + name);
        return new Postgres(server, name);
    }

    record Sqlite(Path file) implements TestDatabase {
        @Override
        public DatabaseTarget target() {
            return new DatabaseTarget.Sqlite(file);
        }

        @Override
        public Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:sqlite:" + file);
        }

        @Override
        public void close() {
            // the temporary folder goes with the test
        }
    }

    record Postgres(PostgresServer server, String name) implements TestDatabase {
        @Override
        public DatabaseTarget target() {
            return DatabaseTarget.parse(server.databaseUrl(name), Path.of("unused.db"));
        }

        @Override
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(server.jdbcUrl(name), "postgres", "");
        }

        @Override
        public void close() throws SQLException {
            server.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
