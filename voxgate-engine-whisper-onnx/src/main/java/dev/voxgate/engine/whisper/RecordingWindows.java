package dev.voxgate.engine.whisper;

import java.util.Optional;

/**
 * Where a whole recording is cut into the windows Whisper decodes at once, and where the speech in
 * a window lies. Pure and deterministic, so it is tested with made-up probabilities; works in VAD
 * frames ({@link SegmenterConfig#frameSamples()}).
 *
 * <p>A window is as long as Whisper takes (30 s, {@link SegmenterConfig#maxSamples()}). When the
 * recording goes on past it, the window ends in the middle of the longest pause in its second half:
 * the longest run of frames the VAD scores below the end threshold, the latest among runs as long.
 * The longest, because the longest pause is the likeliest end of a sentence, where a cut costs the
 * model least context (the latest pause of at least 500 ms cut a sentence of the team's set in two
 * and lost 3.4 points on the joined-clips test); only the second half, so that no window is short.
 * With no pause there at all, the cut is the quietest frame (a gap between words), the latest among
 * equals.
 */
final class RecordingWindows {

    /** Frames {@code from} (inclusive) to {@code to} (exclusive). */
    record Span(int from, int to) {
    }

    private final int maxFrames;
    private final int searchFrames;
    private final int padFrames;
    private final float startThreshold;
    private final float endThreshold;

    RecordingWindows(SegmenterConfig config) {
        this.maxFrames = config.maxSamples() / config.frameSamples();
        this.searchFrames = maxFrames / 2;
        this.padFrames = Math.ceilDiv(config.padSamples(), config.frameSamples());
        this.startThreshold = config.startThreshold();
        this.endThreshold = config.endThreshold();
    }

    /** The most frames one window holds. */
    int maxFrames() {
        return maxFrames;
    }

    /**
     * Where to end the window that starts at frame 0.
     *
     * @param probability speech probability of each frame from the window's start
     * @param rms         energy of each frame
     * @param frames      how many frames are known; at least {@link #maxFrames()} (the recording goes on)
     * @return the first frame of the next window, in {@code (0, maxFrames]}
     */
    int cut(float[] probability, float[] rms, int frames) {
        if (frames < maxFrames) throw new IllegalArgumentException(frames + " frames do not fill a window");
        int from = maxFrames - searchFrames;
        int longestStart = -1, longestLength = 0;
        for (int i = from; i < maxFrames; ) {
            if (probability[i] >= endThreshold) {
                i++;
                continue;
            }
            int end = i;
            while (end < maxFrames && probability[end] < endThreshold) end++;
            if (end - i >= longestLength) {
                longestStart = i;
                longestLength = end - i;
            }
            i = end;
        }
        if (longestStart >= 0) return longestStart + longestLength / 2;
        int quietest = from;
        for (int i = from; i < maxFrames; i++) {
            if (rms[i] <= rms[quietest]) quietest = i;
        }
        return Math.max(1, quietest);
    }

    /**
     * The speech in frames {@code [0, frames)}: from one pad before the first frame above the start
     * threshold to one pad after the last frame at or above the end threshold, within the window;
     * empty when no frame is above the start threshold (nothing to decode).
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
