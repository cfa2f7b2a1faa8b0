package dev.voxgate.server.session;

/**
 * What a client asked for when it connected, already parsed by its protocol adapter.
 *
 * @param engine     engine id, or {@code null} for the server's default
 * @param sampleRate rate of the PCM the client will send
 * @param language   language tag, or {@code null}
 */
public record SessionRequest(String engine, int sampleRate, String language) {
}
