package dev.voxgate.jobs.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** Which database holds the jobs: parsed from {@code DATABASE_URL}. */
public sealed interface DatabaseTarget {

    /** The embedded default: one SQLite file. */
    record Sqlite(Path file) implements DatabaseTarget {
        public Sqlite {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * A PostgreSQL server. The credentials are kept out of the JDBC URL so that the URL can be logged.
     *
     * @param user     null to let the driver decide (e.g. from the URL's query)
     * @param password null for none
     */
    record Postgres(String jdbcUrl, String user, String password) implements DatabaseTarget {
        public Postgres {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        }

        @Override
        public String toString() {
            return "Postgres[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password="
                    + (password == null ? "none" : "***") + "]";
        }
    }

    /**
     * Reads {@code DATABASE_URL}: blank → SQLite at {@code defaultSqliteFile};
     * {@code postgresql://user:pass@host:port/db?param=value} or {@code postgres://…} (user and
     * password percent-encoded, port 5432 when left out) or a {@code jdbc:postgresql:…} URL →
     * PostgreSQL.
     *
     * @throws IllegalArgumentException naming {@code DATABASE_URL} (with the password hidden) for anything else
     */
    static DatabaseTarget parse(String url, Path defaultSqliteFile) {
        if (url == null || url.isBlank()) return new Sqlite(defaultSqliteFile);
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) return new Postgres(u, null, null);
        if (!lower.startsWith("postgresql://") && !lower.startsWith("postgres://")) {
            throw new IllegalArgumentException("DATABASE_URL=" + redact(u)
                    + " is not a PostgreSQL URL: use postgresql://user:password@host:5432/database, or leave it empty "
                    + "for SQLite in DATA_DIR");
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("DATABASE_URL=" + redact(u) + " is not a valid URL: " + e.getReason()
                    + " (percent-encode special characters in the user name and password)");
        }
        String host = uri.getHost();
        String db = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (host == null || host.isEmpty() || db.isEmpty() || db.contains("/")) {
            throw new IllegalArgumentException("DATABASE_URL=" + redact(u)
                    + " needs a host and a database name: postgresql://user:password@host:5432/database");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String jdbc = "jdbc:postgresql://" + host + ":" + port + "/" + db
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            if (parts.length > 1) password = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        }
        return new Postgres(jdbc, user, password);
    }

    /** The URL with any password replaced by {@code ***}, for messages. */
    static String redact(String url) {
        return url.replaceAll("(//[^:/@?#]*):[^@/?#]*@", "$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
