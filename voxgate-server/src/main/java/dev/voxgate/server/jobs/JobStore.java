package dev.voxgate.server.jobs;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code jobs} table over plain JDBC. State changes are conditional updates
 * ({@code … WHERE status IN (…)}), so two workers or two nodes never both claim or both finish
 * a job, and a cancel racing a finish has one winner.
 */
public final class JobStore {
    private static final String COLUMNS = "id, status, progress, engine, language, formats, file_name, file_format, size_bytes, "
            + "audio_seconds, created_at, started_at, finished_at, error_code, error_message, attempts, upload_key, result_prefix";

    private final DataSource db;

    public JobStore(DataSource db) {
        this.db = db;
    }

    public record Page(List<JobRecord> jobs, int page, int size, long total) {
    }

    public void insert(JobRecord j) {
        update("INSERT INTO jobs (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                j.id().toString(), j.status().wire(), j.progress(), j.engine(), j.language(), String.join(",", j.formats()),
                j.fileName(), j.fileFormat(), j.sizeBytes(), j.audioSeconds(), ts(j.createdAt()), ts(j.startedAt()),
                ts(j.finishedAt()), j.errorCode(), j.errorMessage(), j.attempts(), j.uploadKey(), j.resultPrefix());
    }

    public Optional<JobRecord> find(UUID id) {
        List<JobRecord> r = query("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", id.toString());
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    /** Newest first; {@code page} counts from 1. */
    public Page list(int page, int size) {
        List<JobRecord> jobs = query("SELECT " + COLUMNS + " FROM jobs ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                size, (long) (page - 1) * size);
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM jobs");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return new Page(jobs, page, size, rs.getLong(1));
        } catch (SQLException e) {
            throw new JobStoreException(e);
        }
    }

    /** queued (or running, from a node that died) → running; false if the job is final or gone. */
    public boolean markRunning(UUID id, Instant now, String node) {
        return update("UPDATE jobs SET status = 'running', started_at = ?, attempts = attempts + 1, progress = 0, node = ? "
                + "WHERE id = ? AND status IN ('queued', 'running')", ts(now), node, id.toString()) == 1;
    }

    public void progress(UUID id, int percent) {
        update("UPDATE jobs SET progress = ? WHERE id = ? AND status = 'running'", percent, id.toString());
    }

    public boolean markSucceeded(UUID id, Instant now, double audioSeconds, String resultPrefix) {
        return update("UPDATE jobs SET status = 'succeeded', progress = 100, finished_at = ?, audio_seconds = ?, result_prefix = ?, "
                + "error_code = NULL, error_message = NULL WHERE id = ? AND status = 'running'",
                ts(now), audioSeconds, resultPrefix, id.toString()) == 1;
    }

    public boolean markFailed(UUID id, Instant now, String code, String message) {
        return update("UPDATE jobs SET status = 'failed', finished_at = ?, error_code = ?, error_message = ? "
                + "WHERE id = ? AND status IN ('queued', 'running')", ts(now), code, message, id.toString()) == 1;
    }

    /** A transient failure: back to queued for JobRunr's retry, keeping the reason visible. */
    public void markRetrying(UUID id, String code, String message) {
        update("UPDATE jobs SET status = 'queued', error_code = ?, error_message = ? WHERE id = ? AND status = 'running'",
                code, message, id.toString());
    }

    /** Cancels a job that is not final; false when it already was (or is gone). */
    public boolean markCancelled(UUID id, Instant now) {
        return update("UPDATE jobs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status IN ('queued', 'running')",
                ts(now), id.toString()) == 1;
    }

    public void forgetUpload(UUID id) {
        update("UPDATE jobs SET upload_key = NULL WHERE id = ?", id.toString());
    }

    public void forgetResults(UUID id) {
        update("UPDATE jobs SET result_prefix = NULL WHERE id = ?", id.toString());
    }

    /** Final jobs older than {@code before} that still hold an upload / results (for retention). */
    public List<JobRecord> withUploadsBefore(Instant before) {
        return query("SELECT " + COLUMNS + " FROM jobs WHERE upload_key IS NOT NULL AND created_at < ? "
                + "AND status IN ('succeeded', 'failed', 'cancelled')", ts(before));
    }

    public List<JobRecord> withResultsBefore(Instant before) {
        return query("SELECT " + COLUMNS + " FROM jobs WHERE result_prefix IS NOT NULL AND finished_at < ?", ts(before));
    }

    private List<JobRecord> query(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement st = prepare(c, sql, args); ResultSet rs = st.executeQuery()) {
            List<JobRecord> out = new ArrayList<>();
            while (rs.next()) out.add(row(rs));
            return out;
        } catch (SQLException e) {
            throw new JobStoreException(e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement st = prepare(c, sql, args)) {
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new JobStoreException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
        return st;
    }

    private static JobRecord row(ResultSet rs) throws SQLException {
        double seconds = rs.getDouble("audio_seconds");
        Double audio = rs.wasNull() ? null : seconds;
        String formats = rs.getString("formats");
        return new JobRecord(UUID.fromString(rs.getString("id")), JobStatus.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)),
                rs.getInt("progress"), rs.getString("engine"), rs.getString("language"),
                formats == null || formats.isEmpty() ? List.of() : Arrays.asList(formats.split(",")),
                rs.getString("file_name"), rs.getString("file_format"), rs.getLong("size_bytes"), audio,
                instant(rs.getString("created_at")), instant(rs.getString("started_at")), instant(rs.getString("finished_at")),
                rs.getString("error_code"), rs.getString("error_message"), rs.getInt("attempts"),
                rs.getString("upload_key"), rs.getString("result_prefix"));
    }

    // Fixed width, so that text order is time order in both SQLite and PostgreSQL.
    private static final java.time.format.DateTimeFormatter TS =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private static String ts(Instant i) {
        return i == null ? null : TS.format(i);
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    /** The database failed; JobRunr treats it as transient and retries. */
    public static final class JobStoreException extends RuntimeException {
        JobStoreException(SQLException cause) {
            super("job database: " + cause.getMessage(), cause);
        }
    }
}
