package dev.voxgate.server.session;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.server.engine.EngineSelection;
import dev.voxgate.server.engine.EngineSelector;
import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Admits, tracks and times out streaming sessions. Protocol adapters call {@link #open}; the
 * manager decides whether a session may begin (engine, capacity, server state), and a single timer
 * thread enforces the per-session limits.
 */
public final class SessionManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionManager.class);
    /** How long a drain that ended sessions waits for their close frames to reach the clients. */
    static final Duration CLOSE_LINGER = Duration.ofMillis(500);
    private final EngineSelector selector;
    private final SessionLimits limits;
    private final Admission admission;
    private final DecoderPool decoders;
    private final SessionOpeners openers;
    private final Ticker ticker;
    private final SessionEvents events;
    private final Supplier<String> ids;
    private final SessionTaps taps;
    private final Set<StreamSession> active = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private volatile boolean shuttingDown;

    public SessionManager(EngineSelector selector, SessionLimits limits, Admission admission, DecoderPool decoders,
                          Ticker ticker, SessionEvents events) {
        this(selector, limits, admission, decoders, ticker, events, () -> UUID.randomUUID().toString());
    }

    public SessionManager(EngineSelector selector, SessionLimits limits, Admission admission, DecoderPool decoders,
                          Ticker ticker, SessionEvents events, Supplier<String> ids) {
        this(selector, limits, admission, decoders, ticker, events, ids, SessionTaps.NONE);
    }

    /** @param taps what sees each session's engine audio and finals (the session archive), or may refuse a session */
    public SessionManager(EngineSelector selector, SessionLimits limits, Admission admission, DecoderPool decoders,
                          Ticker ticker, SessionEvents events, Supplier<String> ids, SessionTaps taps) {
        this.taps = taps;
        this.selector = selector;
        this.limits = limits;
        this.admission = admission;
        this.decoders = decoders;
        this.openers = new SessionOpeners(decoders.threads());
        this.ticker = ticker;
        this.events = events;
        this.ids = ids;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "voxgate-session-timer");
            t.setDaemon(true);
            return t;
        });
        long every = limits.checkInterval().toMillis();
        timer.scheduleWithFixedDelay(this::checkTimeouts, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a session for a client that just connected, or refuses it with an {@code error} and a
     * close. Returns {@code null} when refused.
     *
     * @param caller who the session counts against for {@code MAX_SESSIONS_PER_KEY}: the API key, or the client
     *               address when the server runs open
     */
    public StreamSession open(SessionRequest request, ClientChannel client, String remote, String caller) {
        String engineId = request.engine() == null ? selector.defaultId(EngineSelector.Use.STREAM) : request.engine();
        if (shuttingDown) {
            return reject(engineId, client, ErrorCode.SERVER_SHUTDOWN,
                    "the server is shutting down; retry on another instance");
        }
        EngineSelection chosen = selector.select(EngineSelector.Use.STREAM, request.engine(), request.language());
        if (!(chosen instanceof EngineSelection.Selected selected)) {
            ApiError refusal = chosen.error("engine");
            return reject(engineId, client, refusal.code(), refusal.message());
        }
        engineId = selected.id();
        StreamingEngine engine = selected.engine();
        switch (admission.tryAcquire(caller)) {
            case SERVER_FULL -> {
                return reject(engineId, client, ErrorCode.OVER_CAPACITY, "the server is at its limit of "
                        + admission.max() + " concurrent sessions (MAX_SESSIONS); retry later");
            }
            case CALLER_FULL -> {
                return reject(engineId, client, ErrorCode.OVER_CAPACITY, "this key already has "
                        + admission.maxPerCaller() + " streams open, its limit (MAX_SESSIONS_PER_KEY); close one or"
                        + " retry later");
            }
            case ADMITTED -> { }
        }
        SessionInfo info = new SessionInfo(ids.get(), engineId, request.sampleRate(), remote);
        SessionTap tap;
        try {
            tap = taps.open(info, caller);
        } catch (SessionTaps.Refused e) {
            admission.release(caller);
            return reject(engineId, client, e.error().code(), e.error().message());
        }
        StreamSession[] self = new StreamSession[1];
        StreamSession session = new StreamSession(info, engine, request.language(), client, limits, ticker, events,
                decoders, openers,
                () -> {
                    if (active.remove(self[0])) admission.release(caller);
                }, tap);
        self[0] = session;
        active.add(session);
        session.start();
        return session;
    }

    /** Refuses a connection before it becomes a session. */
    public StreamSession reject(String engine, ClientChannel client, ErrorCode code, String message) {
        events.sessionRejected(engine, code);
        client.sendError(code, message);
        client.close(code);
        return null;
    }

    public int activeSessions() {
        return active.size();
    }

    /** The session caps, shared with the other long-lived connections that count as sessions ({@code /api/chat}). */
    public Admission admission() {
        return admission;
    }

    public SessionLimits limits() {
        return limits;
    }

    private void checkTimeouts() {
        for (StreamSession s : active) {
            try {
                s.checkTimeouts();
            } catch (RuntimeException e) {
                log.error("session {}: checking its timeouts failed", s.info().id(), e);
                s.failNow(ErrorCode.INTERNAL_ERROR, StreamSession.internalErrorMessage(s.info().id()));
            }
        }
    }

    /**
     * Stops admitting sessions, asks every open session to finish (finals are still sent), and
     * waits up to {@code grace} for them to end; what is left is cut off. When sessions were open, it then lingers
     * (at most {@link #CLOSE_LINGER}, within the grace) so that their close frames reach the clients before the
     * HTTP server stops and the process exits.
     */
    public void drain(Duration grace) {
        shuttingDown = true;
        boolean hadSessions = !active.isEmpty();
        active.forEach(StreamSession::shutdown);
        long deadline = ticker.nanos() + grace.toNanos();
        while (!active.isEmpty() && ticker.nanos() - deadline < 0) {
            if (!pause(20)) break;
        }
        active.forEach(s -> s.failNow(ErrorCode.SERVER_SHUTDOWN, "the server is shutting down"));
        // A session ends when its 1001 is handed to Jetty, not when the client has it: stopping the server (and a
        // container's network going with the process) right after lost that close now and then (KubePlayIT: the
        // finals arrived, the close never did).
        if (hadSessions) pause(Math.min(CLOSE_LINGER.toMillis(), Math.max(0, (deadline - ticker.nanos()) / 1_000_000)));
    }

    /** Sleeps; false when interrupted (the interrupt is kept for the caller's caller). */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        openers.close();
    }
}
