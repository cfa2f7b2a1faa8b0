package dev.voxgate.bench.load;

import dev.voxgate.audio.PcmAudio;

/**
 * Audio a benchmark session sends: 16-bit mono PCM at {@link #sampleRate()}, with the time speech
 * starts (for the first-partial latency) and, when known, its reference transcript.
 */
public record Clip(String id, byte[] pcm, int sampleRate, double seconds, double onsetSeconds, String reference) {

    /** Builds a clip at 16 kHz; the onset is the first 20 ms window reaching a tenth of the loudest window's RMS. */
    public static Clip of(String id, PcmAudio audio, String reference) {
        PcmAudio a = audio.resampledTo(16000);
        return new Clip(id, a.toBytes(), a.sampleRate(), a.seconds(), onset(a), reference);
    }

    static double onset(PcmAudio a) {
        int window = a.sampleRate() / 50;
        short[] s = a.samples();
        int windows = s.length / window;
        if (windows == 0) return 0;
        double[] rms = new double[windows];
        double max = 0;
        for (int w = 0; w < windows; w++) {
            double sum = 0;
            for (int i = w * window; i < (w + 1) * window; i++) sum += (double) s[i] * s[i];
            rms[w] = Math.sqrt(sum / window);
            max = Math.max(max, rms[w]);
        }
        for (int w = 0; w < windows; w++) if (rms[w] >= max / 10) return w * window / (double) a.sampleRate();
        return 0;
    }
}
