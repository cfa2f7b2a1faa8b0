package dev.voxgate.engine.whisper;

import java.util.Optional;

/**
 * Where the speech in a recording decoded whole lies, for the final's start and end, and whether
 * there is any (a recording the VAD hears no speech in is not decoded: Whisper may invent words in
 * noise). Pure and deterministic, so it is tested with made-up probabilities; works in VAD frames
 * ({@link SegmenterConfig#frameSamples()}) with the live segmenter's thresholds and pad.
 */
final class RecordingSpeech {

    /** Frames {@code from} (inclusive) to {@code to} (exclusive). */
    record Span(int from, int to) {
    }

    private final int padFrames;
    private final float startThreshold;
    private final float endThreshold;

    RecordingSpeech(SegmenterConfig config) {
        this.padFrames = Math.ceilDiv(config.padSamples(), config.frameSamples());
        this.startThreshold = config.startThreshold();
        this.endThreshold = config.endThreshold();
    }

    /**
     * The speech in frames {@code [0, frames)}: from one pad before the first frame above the start
     * threshold to one pad after the last frame at or above the end threshold, within the recording;
     * empty when no frame is above the start threshold.
     */
    Optional<Span> speech(float[] probability, int frames) {
        int first = 0;
        while (first < frames && probability[first] <= startThreshold) first++;
        if (first == frames) return Optional.empty();
        int last = frames - 1;
        while (last > first && probability[last] < endThreshold) last--;
        return Optional.of(new Span(Math.max(0, first - padFrames), Math.min(frames, last + 1 + padFrames)));
    }
}
