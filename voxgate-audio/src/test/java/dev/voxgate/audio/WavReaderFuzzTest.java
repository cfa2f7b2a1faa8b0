package dev.voxgate.audio;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Coverage-guided fuzzing of {@link WavReader}: whatever the bytes, it returns audio that a writer and a second read
 * agree on, or throws {@link UnsupportedWavException} naming the file, and it never allocates memory for what a
 * header only claims (no OOM from a huge declared chunk size). The per-input {@code @Timeout} catches endless loops.
 * docs/testing.md, "Fuzzing".
 */
@Timeout(120)
class WavReaderFuzzTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    /**
     * Allowed allocation besides what the input justifies: read buffers and the 1 MB a data chunk starts with. A
     * header's claimed size (up to 4 GB) must never get near it.
     */
    private static final long FIXED_ALLOWANCE = 4L << 20;

    @FuzzTest(maxDuration = "25s")
    @Timeout(30) // per input: an odd rate near 384 kHz takes the resampler about a second to plan for
    @DictionaryFile(resourcePath = "wav.dict")
    void readGivesAudioOrSaysWhyNot(byte[] file) throws IOException {
        try { // once first, so that loading (and instrumenting) classes does not count as reading
            WavReader.read(new ByteArrayInputStream(file), "upload.wav");
        } catch (UnsupportedWavException e) {
            // checked below
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        PcmAudio audio;
        try {
            audio = WavReader.read(new ByteArrayInputStream(file), "upload.wav");
        } catch (UnsupportedWavException e) {
            assertAllocationFitsInput(before, file);
            assertThat(e.getMessage()).startsWith("upload.wav").hasSizeLessThan(300);
            assertThat(e.getMessage().chars().allMatch(c -> c >= 0x20 && c != 0x7f)).as(e.getMessage()).isTrue();
            return;
        }
        assertAllocationFitsInput(before, file);
        assertThat(audio.sampleRate()).isPositive();
        // Mono 16-bit out of at least one byte per sample frame in.
        assertThat(audio.samples().length).isLessThanOrEqualTo(file.length);
        // Write what was read, read it again: the same audio (16-bit mono PCM is the reader's own output format).
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        WavWriter.write(again, audio.sampleRate(), 1, audio.samples());
        PcmAudio reread = WavReader.read(new ByteArrayInputStream(again.toByteArray()), "again.wav");
        assertThat(reread.sampleRate()).isEqualTo(audio.sampleRate());
        assertThat(reread.samples()).isEqualTo(audio.samples());
        // What `voxgate stream` does next with a rate outside 8-48 kHz: the same duration at 16 kHz.
        PcmAudio at16k = audio.resampledTo(16000);
        assertThat(at16k.seconds()).isCloseTo(audio.seconds(), within(1.0 / audio.sampleRate() + 1.0 / 16000));
    }

    private static void assertAllocationFitsInput(long before, byte[] file) {
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated reading a %d-byte file", file.length)
                .isLessThan(FIXED_ALLOWANCE + 16L * file.length);
    }
}
