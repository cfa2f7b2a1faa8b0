package dev.voxgate.engine.twopass;

/**
 * Tells how long the audio has been quiet: the stretch since the last 20 ms window whose level was
 * within {@value #QUIET_BELOW_DB} dB of the loudest window heard since {@link #reset()}. Relative
 * to the speaker's own level, not to a fixed one, so a quiet microphone and a loud one pause alike;
 * windows below {@value #FLOOR_DBFS} dBFS are always quiet (room noise before anyone spoke).
 */
final class PauseDetector {
    static final double QUIET_BELOW_DB = 20;
    static final double FLOOR_DBFS = -50;
    private static final double FULL_SCALE = 32768;

    private final int window;
    private final double relativeQuiet = Math.pow(10, -QUIET_BELOW_DB / 20);
    private final double floor = FULL_SCALE * Math.pow(10, FLOOR_DBFS / 20);
    private double sumSquares;
    private int filled;
    private double loudest;
    private long position;
    private long lastLoud;

    PauseDetector(int sampleRate) {
        this.window = Math.max(1, sampleRate / 50);
    }

    /** Feeds little-endian 16-bit PCM. */
    void accept(byte[] pcm) {
        for (int i = 0; i + 1 < pcm.length; i += 2) {
            double s = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
            sumSquares += s * s;
            position++;
            if (++filled == window) endWindow();
        }
    }

    private void endWindow() {
        double rms = Math.sqrt(sumSquares / filled);
        sumSquares = 0;
        filled = 0;
        loudest = Math.max(loudest, rms);
        if (rms >= floor && rms >= loudest * relativeQuiet) lastLoud = position;
    }

    /** Samples of quiet at the end of what was fed (counted in whole windows). */
    long quietSamples() {
        return position - filled - lastLoud;
    }

    /** Position (samples since the start) just after the last loud window. */
    long lastLoud() {
        return lastLoud;
    }

    /** Starts a new utterance: its level is learnt afresh. */
    void reset() {
        loudest = 0;
    }
}
