package dev.voxgate.server.engine;

/**
 * A {@link dev.voxgate.api.RecognitionListener} that also wants to know when a session moves to another engine
 * ({@code ENGINE_FALLBACK}): the session layer tells the client with a {@code notice}. Called on the driving thread,
 * like the listener's other callbacks, before the new engine's first result.
 */
public interface EngineSwitchListener {
    /**
     * @param from   the engine that failed or could not be used
     * @param to     the engine the session continues on
     * @param reason why, fit for a client: no exception text, no addresses
     */
    void onEngineSwitched(String from, String to, String reason);
}
