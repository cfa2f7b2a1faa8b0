package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.decode.PcmChunk;
import dev.voxgate.audio.decode.PcmSink;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A 20-minute recording decodes chunk by chunk, with progress, in memory that does not grow with its length. */
@Timeout(300)
class LongFileDecodingIT {
    private static final int RATE = 16_000;
    private static final int MINUTES = 20;
    private static final long SAMPLES = (long) MINUTES * 60 * RATE;
    /** Heap the decoding may keep beyond what it started with: far below the 38 MB the decoded audio would take. */
    private static final long HEAP_BOUND = 16L << 20;

    @TempDir
    static Path dir;
    private static Path mp3;

    @BeforeAll
    static void encodeTwentyMinutesOfSilence() throws Exception {
        FfmpegNatives.load();
        mp3 = dir.resolve("long.mp3");
        long t0 = System.nanoTime();
        try (AudioWriter w = new AudioWriter(mp3, "mp3", "libmp3lame", RATE, 1, 32_000, Map.of())) {
            short[] second = new short[RATE];
            for (long s = 0; s < SAMPLES; s += RATE) w.write(second);
            w.finish();
        }
        System.out.printf("[long] %d min of silence encoded to mp3 in %.1f s: %d bytes%n", MINUTES,
                (System.nanoTime() - t0) / 1e9, Files.size(mp3));
    }

    @Test
    void decodesChunkByChunkWithProgressInBoundedMemory() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        long rssBaseline = Pointer.physicalBytes();
        var seen = new PcmSink() {
            AudioProbe probe;
            long samples;
            int chunks;
            double lastProgress = -1;
            int ones;
            double progressAtHalf = -1;
            long peakHeap;
            long peakRss;
            int nextCheck = 1;

            @Override
            public void started(AudioProbe probe) {
                this.probe = probe;
            }

            @Override
            public void accept(PcmChunk chunk) {
                assertThat(chunk.firstSample()).isEqualTo(samples);
                samples += chunk.samples().length;
                chunks++;
            }

            @Override
            public void progress(double fraction) {
                assertThat(fraction).isGreaterThanOrEqualTo(lastProgress);
                lastProgress = fraction;
                if (fraction == 1.0) ones++;
                if (progressAtHalf < 0 && samples >= SAMPLES / 2) progressAtHalf = fraction;
                if (samples >= nextCheck * SAMPLES / 5) { // a full collection at every fifth of the way
                    nextCheck++;
                    System.gc();
                    peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed() - baseline);
                    peakRss = Math.max(peakRss, Pointer.physicalBytes() - rssBaseline);
                }
            }
        };
        long t0 = System.nanoTime();
        new FfmpegAudioDecoder().decode(mp3, RATE, seen);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "[long] decoded %d min in %.1f s (%d chunks); above the start at most %.1f MB of heap kept, %.1f MB "
                        + "more resident "
                + "memory; progress at half the audio %.3f%n", MINUTES, seconds, seen.chunks, seen.peakHeap / 1e6,
                seen.peakRss / 1e6, seen.progressAtHalf);

        assertThat(seen.probe.format()).isEqualTo("mp3");
        assertThat(seen.probe.durationSeconds()).hasValueCloseTo(MINUTES * 60.0, within(0.1));
        assertThat(seen.samples / (double) RATE).isCloseTo(MINUTES * 60.0, within(0.1));
        assertThat(seen.chunks).isEqualTo((int) Math.ceil(seen.samples / (RATE * FfmpegAudioDecoder.CHUNK_SECONDS)));
        assertThat(seen.progressAtHalf).as("progress follows the audio as it is delivered")
                .isCloseTo(0.5, within(0.02));
        assertThat(seen.ones).as("1.0 once, at the end").isEqualTo(1);
        assertThat(seen.lastProgress).isEqualTo(1.0);
        assertThat(seen.nextCheck).isGreaterThanOrEqualTo(5);
        assertThat(seen.peakHeap).as("heap kept during decoding, bytes").isLessThan(HEAP_BOUND);
        assertThat(seen.peakRss).as("growth of resident memory (heap and native), bytes").isLessThan(4 * HEAP_BOUND);
    }
}
