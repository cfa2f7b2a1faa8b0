package dev.voxgate.jobs.db;

import dev.voxgate.jobs.JobRecord;
import dev.voxgate.jobs.JobRequest;
import dev.voxgate.jobs.JobStatus;
import dev.voxgate.jobs.Page;
import dev.voxgate.jobs.ResultFormat;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code jobs} table over plain JDBC, the same SQL on SQLite and PostgreSQL.
 *
 * <p>Every status change is one conditional {@code UPDATE … WHERE id = ? AND status …}: whoever
 * changes the row first wins and the others see {@code false}, so two nodes never both start, both
 * finish, or finish a cancelled job. A running row also names the queue attempt that holds it
 * ({@code run_attempt}); only that attempt may report progress or finish it, and only a later
 * attempt may take it over (its node died). Each method runs in its own short transaction.
 *
 * <p>Reads and changes on behalf of an API client take an owner filter: empty means every job (the
 * server runs open), a key id means only the jobs that key submitted; a job with no owner matches no
 * key. The workers and retention act on any job and use the methods without one.
 */
public final class JobRepository {
    private static final String COLUMNS =
            "id, status, progress, engine, language, requested_formats, display_name, detected_format, "
            + "size_bytes, duration_seconds, created_at, started_at, finished_at, error_code, error_message, "
            + "attempts, upload_key, "
            + "result_keys, worker_id, owner, word_times";
    private static final String ACTIVE = "('queued', 'running')";
    private static final String FINISHED = "('succeeded', 'failed', 'cancelled')";

    private final DataSource ds;

    public JobRepository(DataSource ds) {
        this.ds = ds;
    }

    /** Adds a job (normally {@code queued}). */
    public void insert(JobRecord j) throws SQLException {
        String sql = "INSERT INTO jobs (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 0;
            ps.setString(++i, j.id().toString());
            ps.setString(++i, j.status().code());
            ps.setInt(++i, j.progress());
            ps.setString(++i, j.request().engine());
            ps.setString(++i, j.request().language());
            ps.setString(++i, j.request().formatList());
            ps.setString(++i, j.displayName());
            ps.setString(++i, j.detectedFormat());
            ps.setLong(++i, j.sizeBytes());
            setDouble(ps, ++i, j.durationSeconds());
            ps.setLong(++i, j.createdAt().toEpochMilli());
            setInstant(ps, ++i, j.startedAt());
            setInstant(ps, ++i, j.finishedAt());
            ps.setString(++i, j.errorCode());
            ps.setString(++i, j.errorMessage());
            ps.setInt(++i, j.attempts());
            ps.setString(++i, j.uploadKey());
            ps.setString(++i, joinKeys(j.resultKeys()));
            ps.setString(++i, j.workerId());
            ps.setString(++i, j.owner());
            ps.setInt(++i, j.request().wordTimes() ? 1 : 0);
            ps.executeUpdate();
        }
    }

    /** Any job, whoever owns it (workers, retention). */
    public Optional<JobRecord> find(UUID id) throws SQLException {
        return find(id, Optional.empty());
    }

    /** A job, when {@code owner} may see it: empty means any job, a key id only that key's. */
    public Optional<JobRecord> find(UUID id, Optional<String> owner) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ?"
                     + ownerClause(owner))) {
            ps.setString(1, id.toString());
            if (owner.isPresent()) ps.setString(2, owner.get());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * One page of the jobs {@code owner} may see, newest first; {@code total} counts those jobs only.
     *
     * @param owner empty for all jobs, a key id for that key's
     * @param page  from 0
     * @param size  1 or more
     */
    public Page<JobRecord> list(Optional<String> owner, int page, int size) throws SQLException {
        if (page < 0) throw new IllegalArgumentException("page must not be negative: " + page);
        if (size < 1) throw new IllegalArgumentException("page size must be at least 1: " + size);
        try (Connection c = ds.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement(countSql(owner.isPresent()))) {
                if (owner.isPresent()) ps.setString(1, owner.get());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<JobRecord> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(pageSql(owner.isPresent()))) {
                int i = 0;
                if (owner.isPresent()) ps.setString(++i, owner.get());
                ps.setInt(++i, size);
                ps.setLong(++i, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) items.add(read(rs));
                }
            }
            return new Page<>(items, page, size, total);
        }
    }

    /** How {@link #list} counts: all rows, or one owner's (the owner is the only parameter). */
    static String countSql(boolean byOwner) {
        return "SELECT COUNT(*) FROM jobs" + (byOwner ? " WHERE owner = ?" : "");
    }

    /**
     * How {@link #list} reads a page: parameters owner (when by owner), limit, offset. Newest first with
     * the id as tie-break, so pages never overlap; {@code jobs_by_created} or {@code jobs_by_owner_created}
     * delivers the rows in this order.
     */
    static String pageSql(boolean byOwner) {
        return "SELECT " + COLUMNS + " FROM jobs" + (byOwner ? " WHERE owner = ?" : "")
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
    }

    /**
     * Starts an attempt: a {@code queued} row, or a {@code running} one held by an earlier attempt
     * (whose node died), becomes {@code running} under {@code attempt}; {@code attempts} counts up.
     *
     * @return false when the row is gone, final, or held by this or a later attempt
     */
    public boolean claim(UUID id, int attempt, String workerId, Instant now) throws SQLException {
        return update(
                "UPDATE jobs SET status = 'running', run_attempt = ?, attempts = attempts + 1, worker_id = ?, "
                        + "started_at = ?, progress = 0 "
                        + "WHERE id = ? AND (status = 'queued' OR (status = 'running' AND run_attempt < ?))",
                attempt, workerId, now.toEpochMilli(), id.toString(), attempt);
    }

    /**
     * Progress of a running attempt, in percent. False when the attempt no longer holds the row (cancelled, taken
     * over).
     */
    public boolean progress(UUID id, int attempt, int percent) throws SQLException {
        return update("UPDATE jobs SET progress = ? WHERE id = ? AND status = 'running' AND run_attempt = ?",
                Math.max(0, Math.min(100, percent)), id.toString(), attempt);
    }

    /**
     * Finishes a running attempt successfully. False when the attempt no longer holds the row (e.g. cancelled
     * meanwhile).
     */
    public boolean succeed(UUID id, int attempt, Instant now, double durationSeconds,
            List<String> resultKeys) throws SQLException {
        return update("UPDATE jobs SET status = 'succeeded', progress = 100, finished_at = ?, duration_seconds = ?, "
                        + "result_keys = ?, error_code = NULL, error_message = NULL WHERE id = ? AND status = "
                        + "'running' AND run_attempt = ?",
                now.toEpochMilli(), durationSeconds, joinKeys(resultKeys), id.toString(), attempt);
    }

    /** Fails a running attempt for good. False when the attempt no longer holds the row. */
    public boolean fail(UUID id, int attempt, Instant now, String code, String message) throws SQLException {
        return update("UPDATE jobs SET status = 'failed', finished_at = ?, error_code = ?, error_message = ? "
                        + "WHERE id = ? AND status = 'running' AND run_attempt = ?",
                now.toEpochMilli(), code, message, id.toString(), attempt);
    }

    /**
     * Fails a job that is not being run by anyone alive (queued, or left running by a dead node)
     * for good, e.g. when its attempts are used up. False when it is already final.
     */
    public boolean failUnclaimed(UUID id, Instant now, String code, String message) throws SQLException {
        return update(
                "UPDATE jobs SET status = 'failed', finished_at = ?, error_code = ?, error_message = ? WHERE id = ? "
                        + "AND status IN " + ACTIVE,
                now.toEpochMilli(), code, message, id.toString());
    }

    /** Puts a running attempt back in the queue after a transient failure, keeping the error for display. */
    public boolean requeue(UUID id, int attempt, String code, String message) throws SQLException {
        return update("UPDATE jobs SET status = 'queued', progress = 0, error_code = ?, error_message = ? "
                        + "WHERE id = ? AND status = 'running' AND run_attempt = ?",
                code, message, id.toString(), attempt);
    }

    /**
     * Cancels a job that is in {@code from} ({@code QUEUED} or {@code RUNNING}), when {@code owner} may
     * see it. False when it was not, or belongs to another.
     */
    public boolean cancel(UUID id, Optional<String> owner, JobStatus from, Instant now) throws SQLException {
        if (from != JobStatus.QUEUED
                && from != JobStatus.RUNNING) throw new IllegalArgumentException(
                        "only queued or running jobs can be cancelled");
        String sql = "UPDATE jobs SET status = 'cancelled', finished_at = ?, error_code = 'cancelled', error_message = "
                + "'cancelled on request' WHERE id = ? AND status = ?" + ownerClause(owner);
        return owner.isPresent()
                ? update(sql, now.toEpochMilli(), id.toString(), from.code(), owner.get())
                : update(sql, now.toEpochMilli(), id.toString(), from.code());
    }

    /** Forgets the upload of a job (its file was deleted). */
    public void clearUpload(String uploadKey) throws SQLException {
        update("UPDATE jobs SET upload_key = NULL WHERE upload_key = ?", uploadKey);
    }

    /** Forgets the result files of a job (they were deleted). */
    public void clearResults(UUID id) throws SQLException {
        update("UPDATE jobs SET result_keys = NULL WHERE id = ?", id.toString());
    }

    /** How many jobs are queued and running now, across every node sharing this database. */
    public ActiveCounts countActive() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM jobs WHERE status IN " + ACTIVE
                     + " GROUP BY status");
             ResultSet rs = ps.executeQuery()) {
            long queued = 0, running = 0;
            while (rs.next()) {
                if (JobStatus.fromCode(rs.getString(1)) == JobStatus.QUEUED) queued = rs.getLong(2);
                else running = rs.getLong(2);
            }
            return new ActiveCounts(queued, running);
        }
    }

    /** The jobs waiting for a worker and those a worker is on. */
    public record ActiveCounts(long queued, long running) {
    }

    /** True when a queued or running job still needs this upload. */
    public boolean isUploadInUse(String uploadKey) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps =
                     c.prepareStatement("SELECT 1 FROM jobs WHERE upload_key = ? AND status IN " + ACTIVE)) {
            ps.setString(1, uploadKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Final jobs that finished before {@code cutoff}, oldest first, at most {@code limit}. */
    public List<JobRecord> finishedBefore(Instant cutoff, int limit) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE status IN " + FINISHED
                     + " AND finished_at < ? ORDER BY finished_at LIMIT ?")) {
            ps.setLong(1, cutoff.toEpochMilli());
            ps.setInt(2, limit);
            List<JobRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
            return out;
        }
    }

    /** Deletes a job's row if it is in one of {@code statuses}. False when it was not (or is gone). */
    public boolean delete(UUID id, Set<JobStatus> statuses) throws SQLException {
        if (statuses.isEmpty()) return false;
        String in = String.join(", ", statuses.stream().map(s -> "'" + s.code() + "'").toList());
        return update("DELETE FROM jobs WHERE id = ? AND status IN (" + in + ")", id.toString());
    }

    private boolean update(String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                switch (a) {
                    case null -> ps.setNull(i + 1, Types.VARCHAR);
                    case String s -> ps.setString(i + 1, s);
                    case Integer n -> ps.setInt(i + 1, n);
                    case Long n -> ps.setLong(i + 1, n);
                    case Double d -> ps.setDouble(i + 1, d);
                    default -> throw new IllegalArgumentException("unsupported parameter " + a.getClass());
                }
            }
            return ps.executeUpdate() > 0;
        }
    }

    private static JobRecord read(ResultSet rs) throws SQLException {
        Set<ResultFormat> formats = EnumSet.noneOf(ResultFormat.class);
        for (String f : rs.getString("requested_formats").split(",")) ResultFormat.parse(f).ifPresent(formats::add);
        if (formats.isEmpty()) formats = EnumSet.allOf(ResultFormat.class);
        String keys = rs.getString("result_keys");
        return new JobRecord(
                UUID.fromString(rs.getString("id")),
                JobStatus.fromCode(rs.getString("status")),
                rs.getInt("progress"),
                new JobRequest(rs.getString("engine"), rs.getString("language"), formats, rs.getInt("word_times") != 0),
                rs.getString("display_name"),
                rs.getString("detected_format"),
                rs.getLong("size_bytes"),
                getDouble(rs, "duration_seconds"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                getInstant(rs, "started_at"),
                getInstant(rs, "finished_at"),
                rs.getString("error_code"),
                rs.getString("error_message"),
                rs.getInt("attempts"),
                rs.getString("upload_key"),
                keys == null || keys.isEmpty() ? List.of() : Arrays.asList(keys.split(",")),
                rs.getString("worker_id"),
                rs.getString("owner"));
    }

    /** The condition that limits a statement to {@code owner}'s rows, for one more parameter; none for no owner. */
    private static String ownerClause(Optional<String> owner) {
        return owner.isPresent() ? " AND owner = ?" : "";
    }

    /** Keys never contain commas (see {@code BlobKey}), so a comma-separated list is unambiguous. */
    private static String joinKeys(List<String> keys) {
        return keys == null || keys.isEmpty() ? null : String.join(",", keys);
    }

    private static void setDouble(PreparedStatement ps, int i, Double d) throws SQLException {
        if (d == null) ps.setNull(i, Types.DOUBLE);
        else ps.setDouble(i, d);
    }

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, t.toEpochMilli());
    }

    private static Double getDouble(ResultSet rs, String col) throws SQLException {
        double d = rs.getDouble(col);
        return rs.wasNull() ? null : d;
    }

    private static Instant getInstant(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
