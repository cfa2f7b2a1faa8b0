package dev.voxgate.engine.whisper;

/**
 * How {@link SpeechSegmenter} cuts a stream into utterances, in samples at {@code sampleRate}.
 *
 * <p>The defaults were tuned on the team's speech set; {@link #defaults()} says how.
 *
 * @param frameSamples     the VAD frame (512 at 16 kHz, Silero's)
 * @param startThreshold   speech begins at the first frame whose probability is above this
 * @param endThreshold     once in speech, a frame at or above this still counts as speech
 *                         (hysteresis: the tails of words score between the two thresholds)
 * @param minSilenceSamples speech ends after this much audio below {@code endThreshold}
 * @param padSamples       audio kept before the first and after the last speech frame, so
 *                         onsets and trailing consonants reach the recogniser
 * @param minSpeechSamples an utterance with less speech than this (a click, a cough) is dropped
 * @param maxSamples       no utterance is longer than this (Whisper takes 30 s at most)
 * @param cutSearchSamples when speech runs past {@code maxSamples} without a pause, the cut is
 *                         made at the quietest frame in this much audio before the limit
 */
record SegmenterConfig(int sampleRate, int frameSamples, float startThreshold, float endThreshold,
                       int minSilenceSamples, int padSamples, int minSpeechSamples, int maxSamples,
                       int cutSearchSamples) {

    SegmenterConfig {
        if (endThreshold > startThreshold) throw new IllegalArgumentException("end threshold above start threshold");
        if (cutSearchSamples
                + 2 * frameSamples > maxSamples) throw new IllegalArgumentException("cut search window too long");
        if (padSamples >= minSilenceSamples) throw new IllegalArgumentException(
                "pad must be shorter than the pause that ends speech");
    }

    /**
     * Start above 0.45, stay in speech at 0.30 or more, end after 500 ms below it, 200 ms of padding,
     * at least 250 ms of speech, at most 30 s, hard cuts searched in the last 5 s.
     *
     * <p>Measured on the team's 39-utterance speech set with beam 4 (normalised WER; decoding each
     * file whole, without the VAD, gives 2.88%): thresholds 0.45/0.30 and 0.40/0.25 gave 2.88%,
     * Silero's usual 0.50/0.35 3.19%, 0.30/0.15 3.35%; ending after 700 ms instead of 500 ms changed
     * nothing, after 1000 ms (with 300 ms pads) gave 3.51%; padding 100 ms gave 3.99% and 250 ms
     * 4.47% — tiny.en is sensitive to where an utterance starts, so one word in a different place
     * moves unrelated errors: read these as a plateau around the chosen values, not a sharp
     * optimum. 500 ms keeps finals prompt in live use; commas and breaths are shorter. 250 ms is
     * Silero's own shortest speech. 5 s of search nearly always holds a gap between words.
     */
    static SegmenterConfig defaults() {
        int rate = WhisperDecoder.SAMPLE_RATE;
        return new SegmenterConfig(rate, SileroVad.FRAME, 0.45f, 0.30f, ms(rate, 500), ms(rate, 200), ms(rate, 250),
                WhisperDecoder.MAX_SAMPLES, ms(rate, 5000));
    }

    static int ms(int rate, int millis) {
        return (int) ((long) rate * millis / 1000);
    }
}
