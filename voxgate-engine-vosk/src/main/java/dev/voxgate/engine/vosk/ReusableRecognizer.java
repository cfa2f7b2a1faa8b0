package dev.voxgate.engine.vosk;

import org.vosk.Model;
import org.vosk.Recognizer;

import java.io.IOException;

/**
 * One native Vosk recognizer that sessions use one after another, brought back to the state of a
 * new one in between. Not thread-safe: one session drives it at a time ({@link VoskSession}
 * synchronizes), and it is recycled only after that session is closed.
 *
 * <p>Why more than Vosk's {@code reset()}: it ends the utterance but keeps the feature pipeline (the
 * i-vector's adaptation to the last speaker, and audio not yet decoded), so a reused recognizer
 * would carry a sliver of the previous session's audio into the next. Only a final result inside
 * an utterance drops the pipeline and decoder (Vosk builds new ones on the next audio), so
 * {@link #recycle()} makes one first. What survives is what a new recognizer would have to build
 * again: the lookahead composition of the graph with its cache, and the settings
 * ({@code setWords}, {@code setPartialWords}).
 *
 * <p>Vosk's clock also survives: word times count every sample the recognizer has taken since it
 * was created. {@link #clockOffsetSeconds()} is what to take off them so each session starts at
 * zero.
 *
 * <p>A recognizer is retired (closed, not reused) after {@link #MAX_LIFETIME_SECONDS} of audio:
 * the graph's cache grows with the audio a recognizer hears (Vosk's maintainers say so in
 * alphacep/vosk-api#209), so an idle recognizer never holds more than the recognizer of one
 * ten-minute session did; and Vosk adds the clock offset in single precision, which stays well
 * under a millisecond over that much audio.
 */
final class ReusableRecognizer implements AutoCloseable {
    /** Audio after which a recognizer is closed rather than reused (see the class comment). */
    static final long MAX_LIFETIME_SECONDS = 600;
    /** Fed to reopen an utterance that Vosk closed at an endpoint, so that a final result flushes it. */
    private static final byte[] ONE_SAMPLE = new byte[2];

    private final Recognizer recognizer;
    private final int sampleRate;
    private final long maxLifetimeSamples;
    private long samplesBeforeThisUse;
    private long samplesThisUse;
    /** Vosk's pipeline holds audio that no final result inside an utterance has flushed. */
    private boolean holdsAudio;
    /** Vosk is inside an utterance: audio was fed since its last result. */
    private boolean inUtterance;

    private ReusableRecognizer(Recognizer recognizer, int sampleRate, long maxLifetimeSeconds) {
        this.recognizer = recognizer;
        this.sampleRate = sampleRate;
        this.maxLifetimeSamples = maxLifetimeSeconds * sampleRate;
    }

    /** A new recognizer: native and CPU-bound (builds the decoding graph's lookahead composition). */
    static ReusableRecognizer create(Model model, int sampleRate) throws IOException {
        return create(model, sampleRate, MAX_LIFETIME_SECONDS);
    }

    static ReusableRecognizer create(Model model, int sampleRate, long maxLifetimeSeconds) throws IOException {
        Recognizer r = new Recognizer(model, sampleRate);
        try {
            r.setWords(true);
            r.setPartialWords(false);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return new ReusableRecognizer(r, sampleRate, maxLifetimeSeconds);
    }

    /** Feeds 16-bit PCM; {@code true} when Vosk found the end of an utterance (then take its {@link #result()}). */
    boolean accept(byte[] pcm, int length) {
        holdsAudio = true;
        inUtterance = true;
        samplesThisUse += length / 2;
        return recognizer.acceptWaveForm(pcm, length);
    }

    /** The utterance Vosk just closed, as its JSON. */
    String result() {
        inUtterance = false;
        return recognizer.getResult();
    }

    String partialResult() {
        return recognizer.getPartialResult();
    }

    /** Flushes the audio still in the utterance, as JSON; empty when Vosk is not inside one. */
    String finalResult() {
        String json = recognizer.getFinalResult();
        if (inUtterance) holdsAudio = false; // outside an utterance Vosk does nothing and keeps its pipeline
        inUtterance = false;
        return json;
    }

    /** Seconds to take off Vosk's word times in this use: the audio of earlier uses. */
    double clockOffsetSeconds() {
        return samplesBeforeThisUse / (double) sampleRate;
    }

    /**
     * Makes the recognizer like a new one for the next session: flushes what the last one left and
     * resets. Returns {@code false} when it has served long enough and should be closed instead. A
     * native failure throws; then the recognizer must be closed, never reused.
     */
    boolean recycle() {
        if (holdsAudio) {
            if (!inUtterance) accept(ONE_SAMPLE, ONE_SAMPLE.length);
            finalResult();
        }
        recognizer.reset();
        samplesBeforeThisUse += samplesThisUse;
        samplesThisUse = 0;
        return samplesBeforeThisUse < maxLifetimeSamples;
    }

    @Override
    public void close() {
        recognizer.close();
    }
}
