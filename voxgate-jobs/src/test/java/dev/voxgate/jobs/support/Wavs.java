package dev.voxgate.jobs.support;

import dev.voxgate.audio.WavWriter;
import dev.voxgate.audio.decode.AudioProbe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalDouble;

/** Small WAV files (silence) standing in for uploads. */
public final class Wavs {
    private Wavs() {
    }

    public static final int RATE = 16_000;

    public static Path silence(Path file, double seconds) throws IOException {
        WavWriter.write(file, RATE, 1, new short[(int) Math.round(seconds * RATE)]);
        return file;
    }

    public static AudioProbe probe(double seconds) {
        return new AudioProbe("wav", "wav", "pcm_s16le", OptionalDouble.of(seconds), RATE, 1);
    }
}
