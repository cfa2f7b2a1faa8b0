package dev.voxgate.engine.remote;

import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * What every remote engine is around its sessions: its descriptor, readiness as its {@link RemoteProbe} last found
 * the remote, the checks before a session (rate and language, {@link RemoteSessionChecks}) and closing. A subclass
 * opens the sessions.
 */
public abstract class RemoteEngine implements StreamingEngine {
    /** Opens one session on the remote. */
    @FunctionalInterface
    protected interface SessionOpener {
        RecognitionSession open() throws EngineException;
    }

    private final EngineDescriptor descriptor;
    private final String languagesSetting;
    private final RemoteProbe probe;
    private final List<Runnable> alsoClose;

    /**
     * @param languagesSetting the variable that sets the engine's languages, which a refused language names
     * @param probe            closed with the engine
     * @param alsoClose        what the engine owns besides the probe (its HTTP client), closed after it in this order
     */
    protected RemoteEngine(EngineDescriptor descriptor, String languagesSetting, RemoteProbe probe,
            Runnable... alsoClose) {
        this.descriptor = descriptor;
        this.languagesSetting = languagesSetting;
        this.probe = probe;
        this.alsoClose = List.of(alsoClose);
    }

    /**
     * The HTTP client of a remote engine's sessions and probe. Its callbacks run on virtual threads: they only queue
     * what arrives or complete a future, and a session's driving thread does the rest.
     */
    protected static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    protected final RemoteProbe probe() {
        return probe;
    }

    @Override
    public final EngineDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public final boolean isReady() {
        return probe.isUp();
    }

    @Override
    public final Optional<String> unavailableReason() {
        return probe.unavailableReason();
    }

    @Override
    public final RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
        RemoteSessionChecks.requireSupported(descriptor.id(), descriptor.capabilities(), options, languagesSetting);
        return openSession(options, listener);
    }

    /** Opens a session for options the engine takes: their rate and language are checked already. */
    protected abstract RecognitionSession openSession(SessionOptions options, RecognitionListener listener)
            throws EngineException;

    /**
     * Opens a session and tells the probe what came of it, so the engine's readiness does not wait for the next
     * probe: a session that opens shows the remote up; one refused as unavailable shows it down.
     */
    protected final RecognitionSession reportingReachability(SessionOpener opener) throws EngineException {
        return reportingReachability(opener, refusal -> false);
    }

    /**
     * As {@link #reportingReachability(SessionOpener)}, except that a refusal {@code stillAnswering} accepts (a full
     * remote: it answers, and frees a slot when a session ends) shows the remote up.
     */
    protected final RecognitionSession reportingReachability(SessionOpener opener,
            Predicate<EngineUnavailableException> stillAnswering) throws EngineException {
        try {
            RecognitionSession s = opener.open();
            probe.reachable();
            return s;
        } catch (EngineUnavailableException e) {
            if (stillAnswering.test(e)) probe.reachable();
            else probe.unreachable(e.getMessage());
            throw e;
        }
    }

    @Override
    public final void close() {
        probe.close();
        alsoClose.forEach(Runnable::run);
    }
}
