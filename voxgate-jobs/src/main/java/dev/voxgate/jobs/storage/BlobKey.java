package dev.voxgate.jobs.storage;

import dev.voxgate.jobs.ResultFormat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The name of an object in a {@link BlobStore}: segments of {@code [A-Za-z0-9._-]} (none starting
 * with a dot, so no {@code .} or {@code ..}) joined by {@code /}, no leading or trailing slash, at
 * most 512 characters. Keys are made by the factories here from ids the server generated, never
 * from a name a user sent; the same rules let an S3 store use them unchanged as object keys.
 */
public record BlobKey(String value) implements Comparable<BlobKey> {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final int MAX_LENGTH = 512;

    public static final String UPLOADS = "uploads/";
    public static final String RESULTS = "results/";
    public static final String SESSIONS = "sessions/";
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    public BlobKey {
        Objects.requireNonNull(value, "value");
        check(value, false);
    }

    public static BlobKey of(String value) {
        return new BlobKey(value);
    }

    /** {@code uploads/YYYY/MM/DD/<jobId>/audio}, dated (UTC) so an operator can see and prune by day. */
    public static BlobKey upload(UUID jobId, Instant receivedAt) {
        LocalDate d = LocalDate.ofInstant(receivedAt, ZoneOffset.UTC);
        return new BlobKey(String.format(Locale.ROOT, "%s%04d/%02d/%02d/%s/audio", UPLOADS, d.getYear(),
                d.getMonthValue(), d.getDayOfMonth(), jobId));
    }

    /** {@code results/<jobId>/}: everything a job produced. */
    public static String resultPrefix(UUID jobId) {
        return RESULTS + jobId + "/";
    }

    /** {@code results/<jobId>/transcript.<ext>}. */
    public static BlobKey result(UUID jobId, ResultFormat format) {
        return new BlobKey(resultPrefix(jobId) + "transcript." + format.extension());
    }

    /**
     * {@code sessions/YYYY/MM/DD/HHMMSS-<sessionId>.wav} (UTC, the session's start): a streaming session's audio.
     *
     * @throws IllegalArgumentException when the id is not letters, digits, '-' and '_'
     */
    public static BlobKey sessionAudio(String sessionId, Instant startedAt) {
        return new BlobKey(sessionBase(sessionId, startedAt) + ".wav");
    }

    /** The JSON sidecar beside {@link #sessionAudio}: same name, {@code .json}. */
    public static BlobKey sessionSidecar(String sessionId, Instant startedAt) {
        return new BlobKey(sessionBase(sessionId, startedAt) + ".json");
    }

    /**
     * {@code sessions/ids/<sessionId>.json}: where a session's archive is found from its id alone (its keys carry the
     * start time). Under {@code sessions/}, so the archive's retention removes it too.
     */
    public static BlobKey sessionIndex(String sessionId) {
        return new BlobKey(SESSIONS + "ids/" + checkSessionId(sessionId) + ".json");
    }

    /** Whether {@code id} can name a session archive (letters, digits, '-', '_'; nothing that walks a path). */
    public static boolean isSessionId(String id) {
        return id != null && SESSION_ID.matcher(id).matches();
    }

    private static String checkSessionId(String id) {
        if (!isSessionId(id)) throw new IllegalArgumentException("not a session id: " + quote(String.valueOf(id)));
        return id;
    }

    private static String sessionBase(String sessionId, Instant startedAt) {
        var t = LocalDateTime.ofInstant(startedAt, ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%s%04d/%02d/%02d/%02d%02d%02d-%s", SESSIONS, t.getYear(),
                t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(),
                checkSessionId(sessionId));
    }

    /**
     * Checks a prefix for {@link BlobStore#deletePrefix} and {@link BlobStore#listOlderThan}: whole
     * segments ending with {@code /} (e.g. {@code results/<id>/}), or empty for everything.
     *
     * @return the prefix itself
     * @throws IllegalArgumentException when it is not such a prefix
     */
    public static String checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) return prefix;
        if (!prefix.endsWith("/")) throw new IllegalArgumentException("a blob prefix ends with '/': " + quote(prefix));
        check(prefix.substring(0, prefix.length() - 1), true);
        return prefix;
    }

    /** The last segment, e.g. {@code audio} or {@code transcript.srt}. */
    public String fileName() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    /** True when this key lies under {@code prefix} (a value accepted by {@link #checkPrefix}). */
    public boolean startsWith(String prefix) {
        return value.startsWith(prefix);
    }

    @Override
    public int compareTo(BlobKey o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static void check(String value, boolean prefix) {
        String what = prefix ? "blob prefix" : "blob key";
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " must have 1 to " + MAX_LENGTH + " characters: " + quote(value));
        }
        for (String segment : value.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException(what + " " + quote(value)
                        + " is not made of '/'-separated segments of letters, digits, '.', '_' and '-' (none empty or "
                        + "starting with '.')");
            }
        }
    }

    private static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
