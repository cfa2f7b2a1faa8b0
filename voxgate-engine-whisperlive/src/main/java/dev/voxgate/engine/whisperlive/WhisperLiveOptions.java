package dev.voxgate.engine.whisperlive;

/**
 * The first message of a WhisperLive session, a JSON text frame from the client ({@code client.py}'s
 * {@code on_open}): the fields the current Python client sends, with its defaults.
 *
 * @param uid      the client's id for the session; the server echoes it in every message
 * @param language a language code, or {@code null} to let the server detect it (it then sends a language message)
 * @param task     {@code transcribe} or {@code translate}
 * @param model    the Whisper model the server loads for the session (e.g. {@code small})
 */
public record WhisperLiveOptions(String uid, String language, String task, String model, boolean useVad,
                                 int sendLastNSegments, double noSpeechThresh, boolean clipAudio,
                                 int sameOutputThreshold) {

    /** The Python client's defaults for everything but the uid, language and model. */
    public static WhisperLiveOptions transcribe(String uid, String language, String model) {
        return new WhisperLiveOptions(uid, language, "transcribe", model, true, 10, 0.45, false, 10);
    }
}
