package dev.voxgate.bench.load;

import java.util.List;

/** A load run: every session's result, the wall time, and the server's CPU and memory over the run. */
public record LoadReport(String label, int concurrency, boolean realtime, List<SessionResult> sessions,
        double wallSeconds,
                         double serverCpuSeconds, double serverPeakRssBytes) {

    public long ok() {
        return sessions.stream().filter(SessionResult::ok).count();
    }

    public long failed() {
        return sessions.size() - ok();
    }

    public double audioSeconds() {
        return sessions.stream().mapToDouble(SessionResult::audioSeconds).sum();
    }

    /** Seconds of audio processed per second of wall time. */
    public double throughputXRealtime() {
        return audioSeconds() / wallSeconds;
    }

    /** Server CPU over the run as a share of one core (1.0 = one core busy). */
    public double serverCores() {
        return serverCpuSeconds / wallSeconds;
    }

    public Percentiles ready() {
        return Percentiles.of(sessions, SessionResult::readyMs);
    }

    public Percentiles firstPartial() {
        return Percentiles.of(sessions, SessionResult::firstPartialMs);
    }

    public Percentiles finalize_() {
        return Percentiles.of(sessions, SessionResult::finalizeMs);
    }

    public Percentiles total() {
        return Percentiles.of(sessions, SessionResult::totalMs);
    }

    public List<String> errors() {
        return sessions.stream().filter(s -> !s.ok()).map(s -> s.clip() + ": " + s.error()).distinct().limit(10)
                .toList();
    }
}
