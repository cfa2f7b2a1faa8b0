package dev.voxgate.engine.whisperlive;

/**
 * One entry of a {@link WhisperLiveMessage.Segments} window, as the server formats it ({@code format_segment}):
 * times in seconds from the start of the stream (sent as strings with three decimals), the text as Whisper wrote it
 * (usually with a leading space), and whether the server has completed it (a completed segment does not change
 * again, but is re-sent while it is among the last {@code send_last_n_segments}).
 */
public record WhisperLiveSegment(double start, double end, String text, boolean completed) {
    public WhisperLiveSegment {
        text = text == null ? "" : text;
    }
}
