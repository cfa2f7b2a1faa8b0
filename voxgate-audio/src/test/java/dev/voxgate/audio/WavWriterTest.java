package dev.voxgate.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class WavWriterTest {

    private static short[] randomSamples(int n, long seed) {
        Random random = new Random(seed);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) random.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1);
        s[0] = Short.MIN_VALUE;
        s[n - 1] = Short.MAX_VALUE;
        return s;
    }

    @Test
    void monoAudioWrittenToAFileReadsBackIdentically(@TempDir Path dir) throws IOException {
        PcmAudio audio = new PcmAudio(16_000, randomSamples(16_001, 1));
        Path file = dir.resolve("out.wav");

        WavWriter.write(file, audio);
        PcmAudio back = WavReader.read(file);

        assertThat(back.sampleRate()).isEqualTo(16_000);
        assertThat(back.samples()).isEqualTo(audio.samples());
        assertThat(Files.size(file)).isEqualTo(44 + 2L * 16_001);
    }

    @Test
    void stereoWithEqualChannelsReadsBackAsTheSameMonoSignal(@TempDir Path dir) throws IOException {
        short[] mono = randomSamples(1000, 2);
        short[] interleaved = new short[2 * mono.length];
        for (int i = 0; i < mono.length; i++) interleaved[2 * i] = interleaved[2 * i + 1] = mono[i];
        Path file = dir.resolve("stereo.wav");

        WavWriter.write(file, 44_100, 2, interleaved);

        PcmAudio back = WavReader.read(file);
        assertThat(back.sampleRate()).isEqualTo(44_100);
        assertThat(back.samples()).isEqualTo(mono);
    }

    @Test
    void stereoReadsBackAsTheAverageOfItsChannels() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WavWriter.write(out, 8000, 2, new short[] {100, 300, -4000, 0, 32_767, 32_765});

        PcmAudio back = WavReader.read(new ByteArrayInputStream(out.toByteArray()), "mem.wav");
        assertThat(back.samples()).containsExactly(200, -2000, 32_766);
    }

    @Test
    void headerIsTheCanonical44BytePcmHeader() {
        byte[] h = WavWriter.header(48_000, 2, 1000);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(h).hasSize(44);
        assertThat(new String(h, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(b.getInt(4)).as("RIFF size").isEqualTo(36 + 1000);
        assertThat(new String(h, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
        assertThat(b.getInt(16)).as("fmt size").isEqualTo(16);
        assertThat(b.getShort(20)).as("PCM").isEqualTo((short) 1);
        assertThat(b.getShort(22)).as("channels").isEqualTo((short) 2);
        assertThat(b.getInt(24)).as("sample rate").isEqualTo(48_000);
        assertThat(b.getInt(28)).as("byte rate").isEqualTo(48_000 * 2 * 2);
        assertThat(b.getShort(32)).as("block align").isEqualTo((short) 4);
        assertThat(b.getShort(34)).as("bits").isEqualTo((short) 16);
        assertThat(new String(h, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        assertThat(b.getInt(40)).as("data size").isEqualTo(1000);
    }

    @Test
    void streamOutputIsHeaderFollowedByLittleEndianSamples() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        short[] samples = {0x0102, -2, Short.MIN_VALUE};

        WavWriter.write(out, 16_000, 1, samples);

        byte[] bytes = out.toByteArray();
        assertThat(Arrays.copyOf(bytes, 44)).isEqualTo(WavWriter.header(16_000, 1, 6));
        assertThat(Arrays.copyOfRange(bytes, 44, bytes.length)).containsExactly(0x02, 0x01, 0xFE, 0xFF, 0x00, 0x80);
    }

    @Test
    void emptyAudioIsAValidWavWithNoSamples(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("empty.wav");
        WavWriter.write(file, new PcmAudio(8000, new short[0]));

        assertThat(Files.size(file)).isEqualTo(44);
        PcmAudio back = WavReader.read(file);
        assertThat(back.samples()).isEmpty();
        assertThat(back.sampleRate()).isEqualTo(8000);
    }

    @Test
    void writingAgainReplacesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("again.wav");
        WavWriter.write(file, new PcmAudio(16_000, randomSamples(5000, 3)));
        WavWriter.write(file, new PcmAudio(22_050, new short[] {1, 2, 3}));

        PcmAudio back = WavReader.read(file);
        assertThat(back.sampleRate()).isEqualTo(22_050);
        assertThat(back.samples()).containsExactly(1, 2, 3);
    }
}
