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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class WavReaderTest {

    // ---- building WAV files by hand -------------------------------------------------------

    private static byte[] riff(String formType, byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(formType.getBytes(StandardCharsets.US_ASCII));
        for (byte[] c : chunks) body.writeBytes(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le32(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] wav(byte[]... chunks) {
        return riff("WAVE", chunks);
    }

    /** A chunk with its true size, padded to an even length as RIFF requires. */
    private static byte[] chunk(String id, byte[] body) {
        byte[] c = chunk(id, body.length, body);
        return (body.length & 1) == 0 ? c : Arrays.copyOf(c, c.length + 1);
    }

    /** A chunk header declaring {@code declaredSize}, followed by {@code body} as given (no padding). */
    private static byte[] chunk(String id, long declaredSize, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt((int) declaredSize).put(body);
        return b.array();
    }

    private static byte[] fmt(int encoding, int channels, int rate, int bits) {
        int blockAlign = channels * ((bits + 7) / 8);
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) encoding).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits);
        return chunk("fmt ", b.array());
    }

    /** WAVE_FORMAT_EXTENSIBLE: 40-byte fmt whose sub-format GUID starts with the real encoding. */
    private static byte[] fmtExtensible(int subFormat, int channels, int rate, int containerBits, int validBits) {
        int blockAlign = channels * containerBits / 8;
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xFFFE).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) containerBits)
                .putShort((short) 22).putShort((short) validBits).putInt(channels == 2 ? 3 : 4)
                // KSDATAFORMAT_SUBTYPE_xxx: {0000xxxx-0000-0010-8000-00AA00389B71}
                .putShort((short) subFormat).putShort((short) 0).putShort((short) 0).putShort((short) 0x10)
                .put(new byte[] {(byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        return chunk("fmt ", b.array());
    }

    private static byte[] data(byte[] pcm) {
        return chunk("data", pcm);
    }

    private static byte[] le16(short... values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) b.putShort(v);
        return b.array();
    }

    private static byte[] le24(int... values) {
        byte[] out = new byte[3 * values.length];
        for (int i = 0; i < values.length; i++) {
            out[3 * i] = (byte) values[i];
            out[3 * i + 1] = (byte) (values[i] >> 8);
            out[3 * i + 2] = (byte) (values[i] >> 16);
        }
        return out;
    }

    private static byte[] le32(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        return b.array();
    }

    private static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    private static byte[] f64(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) b.putDouble(v);
        return b.array();
    }

    private static PcmAudio read(byte[] file) throws IOException {
        return WavReader.read(new ByteArrayInputStream(file), "test.wav");
    }

    private static short[] s(int... values) {
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (short) values[i];
        return out;
    }

    // ---- encodings ------------------------------------------------------------------------

    @Test
    void reads16BitMonoSamplesAndRateExactly() throws IOException {
        short[] samples = s(0, 1, -1, 12_345, -12_345, Short.MAX_VALUE, Short.MIN_VALUE);
        PcmAudio audio = read(wav(fmt(1, 1, 22_050, 16), data(le16(samples))));

        assertThat(audio.sampleRate()).isEqualTo(22_050);
        assertThat(audio.samples()).containsExactly(samples);
    }

    @Test
    void reads8BitAsUnsignedCentredOn128() throws IOException {
        byte[] pcm = {(byte) 128, 0, (byte) 255, 64, (byte) 192, (byte) 129};
        PcmAudio audio = read(wav(fmt(1, 1, 8000, 8), data(pcm)));

        assertThat(audio.samples()).containsExactly(0, -32_768, 32_512, -16_384, 16_384, 256);
        assertThat(audio.sampleRate()).isEqualTo(8000);
    }

    @Test
    void reads24BitSignedKeepingTheTop16Bits() throws IOException {
        int[] values = {0, 0x7FFFFF, -0x800000, 0x000100, -0x000100, 0x123400, -0x400000, 0x0000FF};
        PcmAudio audio = read(wav(fmt(1, 1, 48_000, 24), data(le24(values))));

        // 0x7FFFFF/256 = 32767.996 rounds to 32768, which is clipped; 0xFF/256 rounds to 1.
        assertThat(audio.samples()).containsExactly(0, 32_767, -32_768, 1, -1, 0x1234, -0x4000, 1);
    }

    @Test
    void reads32BitIntegerKeepingTheTop16Bits() throws IOException {
        int[] values = {0, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x0001_0000, -0x0001_0000, 0x1234_0000, 0x0000_7FFF};
        PcmAudio audio = read(wav(fmt(1, 1, 16_000, 32), data(le32(values))));

        assertThat(audio.samples()).containsExactly(0, 32_767, -32_768, 1, -1, 0x1234, 0);
    }

    @Test
    void reads32BitFloatScaledAndClippedToFullScale() throws IOException {
        float[] values = {0f, 0.5f, -0.5f, -1f, 1f, 1.5f, -3f, 0.25f, 1f / 32_768};
        PcmAudio audio = read(wav(fmt(3, 1, 16_000, 32), data(f32(values))));

        assertThat(audio.samples()).containsExactly(0, 16_384, -16_384, -32_768, 32_767, 32_767, -32_768, 8192, 1);
    }

    @Test
    void reads64BitFloat() throws IOException {
        double[] values = {0, 0.5, -0.25, -1, 2, 3.0 / 32_768};
        PcmAudio audio = read(wav(fmt(3, 1, 44_100, 64), data(f64(values))));

        assertThat(audio.samples()).containsExactly(0, 16_384, -8192, -32_768, 32_767, 3);
        assertThat(audio.sampleRate()).isEqualTo(44_100);
    }

    @Test
    void readsPcmInsideWaveFormatExtensible() throws IOException {
        short[] samples = s(100, -200, 300);
        PcmAudio audio = read(wav(fmtExtensible(1, 1, 16_000, 16, 16), data(le16(samples))));

        assertThat(audio.samples()).containsExactly(samples);
    }

    @Test
    void readsFloatInsideWaveFormatExtensible() throws IOException {
        PcmAudio audio = read(wav(fmtExtensible(3, 2, 48_000, 32, 32), data(f32(0.5f, 0.25f, -1f, -1f))));

        assertThat(audio.sampleRate()).isEqualTo(48_000);
        assertThat(audio.samples()).containsExactly(12_288, -32_768);
    }

    @Test
    void reads24ValidBitsIn32BitContainersOfWaveFormatExtensible() throws IOException {
        // Left-justified: the 24 valid bits are the top bits of each 32-bit container.
        PcmAudio audio = read(wav(fmtExtensible(1, 1, 96_000, 32, 24), data(le32(0x12_3456_00, -0x40_0000_00))));

        assertThat(audio.samples()).containsExactly(0x1234, -0x4000);
    }

    // ---- channels -------------------------------------------------------------------------

    @Test
    void stereoIsDownmixedByAveragingTheChannels() throws IOException {
        short[] interleaved = s(1000, 3000, -2000, 2000, 32_767, 32_767, -32_768, -32_768, 10_000, -5000);
        PcmAudio audio = read(wav(fmt(1, 2, 16_000, 16), data(le16(interleaved))));

        assertThat(audio.samples()).containsExactly(2000, 0, 32_767, -32_768, 2500);
    }

    @Test
    void anyChannelCountIsAveraged() throws IOException {
        short[] interleaved = s(300, 600, 900, -3, -6, -9);
        PcmAudio audio = read(wav(fmt(1, 3, 16_000, 16), data(le16(interleaved))));

        assertThat(audio.samples()).containsExactly(600, -6);
    }

    @Test
    void stereo8BitIsAveragedAfterRemovingTheOffset() throws IOException {
        PcmAudio audio = read(wav(fmt(1, 2, 8000, 8), data(new byte[] {(byte) 255, 1, (byte) 192, (byte) 192})));

        assertThat(audio.samples()).containsExactly(0, 16_384);
    }

    // ---- chunk layout ---------------------------------------------------------------------

    @Test
    void skipsChunksBeforeTheDataChunk() throws IOException {
        byte[] list = chunk("LIST", "INFOISFT\u0006\0\0\0Lavf58".getBytes(StandardCharsets.ISO_8859_1));
        byte[] fact = chunk("fact", le32(3));
        PcmAudio audio = read(wav(list, fmt(1, 1, 16_000, 16), fact, data(le16(s(1, 2, 3)))));

        assertThat(audio.samples()).containsExactly(1, 2, 3);
    }

    @Test
    void oddSizedChunksAreFollowedByAPadByte() throws IOException {
        byte[] odd = chunk("junk", new byte[] {9, 9, 9}); // 3 bytes + 1 pad byte
        assertThat(odd).hasSize(12);
        PcmAudio audio = read(wav(fmt(1, 1, 16_000, 16), odd, data(le16(s(7, -7)))));

        assertThat(audio.samples()).containsExactly(7, -7);
    }

    @Test
    void oddSizedFmtChunkIsFollowedByAPadByte() throws IOException {
        byte[] fmtBody = Arrays.copyOf(Arrays.copyOfRange(fmt(1, 1, 16_000, 16), 8, 24), 17); // 16 + 1 extra byte
        PcmAudio audio = read(wav(chunk("fmt ", fmtBody), data(le16(s(5, 6)))));

        assertThat(audio.samples()).containsExactly(5, 6);
    }

    @Test
    void chunksAfterTheDataChunkAreNotAudio() throws IOException {
        byte[] trailing = chunk("LIST", "INFOIART\u0004\0\0\0abcd".getBytes(StandardCharsets.ISO_8859_1));
        PcmAudio audio = read(wav(fmt(1, 1, 16_000, 16), data(le16(s(1, -1))), trailing));

        assertThat(audio.samples()).containsExactly(1, -1);
    }

    @Test
    void dataSizeZeroMeansTheDataRunsToTheEndOfTheFile() throws IOException {
        short[] samples = s(10, 20, 30, 40);
        PcmAudio audio = read(wav(fmt(1, 1, 16_000, 16), chunk("data", 0, le16(samples))));

        assertThat(audio.samples()).containsExactly(samples);
    }

    @Test
    void dataSizeAllOnesMeansTheDataRunsToTheEndOfTheFile() throws IOException {
        short[] samples = s(-10, 20, -30);
        PcmAudio audio = read(wav(fmt(1, 1, 16_000, 16), chunk("data", 0xFFFF_FFFFL, le16(samples))));

        assertThat(audio.samples()).containsExactly(samples);
    }

    @Test
    void truncatedDataChunkGivesTheWholeFramesThatArePresent() throws IOException {
        byte[] pcm = Arrays.copyOf(le16(s(1, 2, 3)), 5); // 2.5 samples
        PcmAudio audio = read(wav(fmt(1, 1, 16_000, 16), chunk("data", 200, pcm)));

        assertThat(audio.samples()).containsExactly(1, 2);
    }

    @Test
    void truncatedStereoDataDropsTheIncompleteFrame() throws IOException {
        PcmAudio audio = read(wav(fmt(1, 2, 16_000, 16), chunk("data", 1000, le16(s(100, 300, 500)))));

        assertThat(audio.samples()).containsExactly(200);
    }

    @Test
    void dataSizeLargerThanMemoryAllowsIsReadAsTruncatedWhenTheFileIsSmall() throws IOException {
        // A header claiming 3 GB (a cut-off recording, a writer's placeholder) over a few bytes of audio.
        PcmAudio audio = read(wav(fmt(1, 1, 16_000, 16), chunk("data", 0xC000_0000L, le16(s(4, 5, 6)))));

        assertThat(audio.samples()).containsExactly(4, 5, 6);
    }

    @Test
    void emptyDataChunkGivesNoSamples() throws IOException {
        PcmAudio audio = read(wav(fmt(1, 1, 16_000, 16), chunk("data", 0, new byte[0])));

        assertThat(audio.samples()).isEmpty();
        assertThat(audio.sampleRate()).isEqualTo(16_000);
    }

    @Test
    void readsFromAPathAndNamesTheFileInErrors(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.wav");
        Files.write(good, wav(fmt(1, 1, 8000, 16), data(le16(s(1, 2, 3)))));
        assertThat(WavReader.read(good).samples()).containsExactly(1, 2, 3);

        Path bad = dir.resolve("notes.txt");
        Files.writeString(bad, "these are not the samples you are looking for");
        assertThatThrownBy(() -> WavReader.read(bad))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("notes.txt")
                .hasMessageContaining("not a RIFF/WAVE file");
    }

    // ---- what is not a WAV we read ----------------------------------------------------------

    @Test
    void emptyFileIsRejectedSayingItIsEmpty() {
        assertThatThrownBy(() -> read(new byte[0]))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("test.wav")
                .hasMessageContaining("empty");
    }

    @Test
    void fileShorterThanAWavHeaderIsRejectedSayingSo() {
        assertThatThrownBy(() -> read("RIFF".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("not a RIFF/WAVE file")
                .hasMessageContaining("4 bytes");
    }

    @Test
    void textFileIsRejectedAsNotRiffWave() {
        byte[] text = "Hello, this is a transcript, not audio.\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(text))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("test.wav is not a RIFF/WAVE file")
                .hasMessageContaining("'Hell'");
    }

    @Test
    void randomBytesAreRejectedWithAClearMessage() {
        Random random = new Random(2024);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[random.nextInt(0, 200)];
            random.nextBytes(junk);
            assertThatThrownBy(() -> read(junk))
                    .isInstanceOf(UnsupportedWavException.class)
                    .message().isNotBlank().contains("test.wav");
        }
    }

    @Test
    void riffWithoutWaveFormTypeIsRejectedNamingTheFormType() {
        byte[] avi = riff("AVI ", chunk("LIST", new byte[4]));
        assertThatThrownBy(() -> read(avi))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("not a RIFF/WAVE file")
                .hasMessageContaining("'AVI '");
    }

    @Test
    void bigEndianRifxIsRejected() {
        byte[] rifx = wav(fmt(1, 1, 16_000, 16), data(le16(s(1))));
        rifx[3] = 'X';
        assertThatThrownBy(() -> read(rifx)).isInstanceOf(UnsupportedWavException.class).hasMessageContaining("'RIFX'");
    }

    @Test
    void dataBeforeFmtIsRejected() {
        assertThatThrownBy(() -> read(wav(data(le16(s(1, 2))), fmt(1, 1, 16_000, 16))))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("data chunk before fmt chunk");
    }

    @Test
    void fileWithoutDataChunkIsRejected() {
        assertThatThrownBy(() -> read(wav(fmt(1, 1, 16_000, 16), chunk("LIST", new byte[4]))))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("no data chunk");
        assertThatThrownBy(() -> read(wav()))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("no data chunk");
    }

    @Test
    void fileCutInsideAChunkBeforeTheDataIsRejectedAsTruncated() {
        byte[] cutInList = wav(fmt(1, 1, 16_000, 16), chunk("LIST", 5000, new byte[10]));
        assertThatThrownBy(() -> read(cutInList))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("'LIST' chunk");

        byte[] cutInFmt = Arrays.copyOf(wav(fmt(1, 1, 16_000, 16)), 12 + 8 + 10);
        assertThatThrownBy(() -> read(cutInFmt))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("fmt chunk");
    }

    @Test
    void fmtChunkShorterThan16BytesIsRejected() {
        assertThatThrownBy(() -> read(wav(chunk("fmt ", new byte[12]), data(new byte[2]))))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("fmt chunk too short");
    }

    @Test
    void aLawIsRejectedNamingTheEncoding() {
        assertThatThrownBy(() -> read(wav(fmt(6, 1, 8000, 8), data(new byte[4]))))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("unsupported WAV encoding 6 (A-law)")
                .hasMessageContaining("integer PCM 8/16/24/32 or float 32/64");
    }

    @Test
    void muLawAndAdpcmAreRejected() {
        assertThatThrownBy(() -> read(wav(fmt(7, 1, 8000, 8), data(new byte[4]))))
                .hasMessageContaining("encoding 7 (mu-law)");
        assertThatThrownBy(() -> read(wav(fmt(0x11, 1, 8000, 4), data(new byte[4])))).hasMessageContaining("IMA ADPCM");
    }

    @Test
    void unusualBitDepthsAreRejectedNamingTheBits() {
        for (int bits : new int[] {12, 20, 4, 0, 48}) {
            assertThatThrownBy(() -> read(wav(fmt(1, 1, 16_000, bits), data(new byte[12]))))
                    .as("%d bits", bits)
                    .isInstanceOf(UnsupportedWavException.class)
                    .hasMessageContaining("with " + bits + " bits");
        }
        assertThatThrownBy(() -> read(wav(fmt(3, 1, 16_000, 16), data(new byte[4]))))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("encoding 3 (IEEE float) with 16 bits");
    }

    @Test
    void extensibleWithAnUnsupportedSubFormatIsRejected() {
        assertThatThrownBy(() -> read(wav(fmtExtensible(6, 1, 8000, 8, 8), data(new byte[4]))))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("encoding 6 (A-law)");
    }

    @Test
    void extensibleWithoutItsSubFormatIsRejected() {
        assertThatThrownBy(() -> read(wav(fmt(0xFFFE, 1, 16_000, 16), data(new byte[4]))))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("WAVE_FORMAT_EXTENSIBLE");
    }

    @Test
    void zeroChannelsAndNonPositiveRatesAreRejected() {
        assertThatThrownBy(() -> read(wav(fmt(1, 0, 16_000, 16), data(new byte[4]))))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("no channels");
        assertThatThrownBy(() -> read(wav(fmt(1, 1, 0, 16), data(new byte[4]))))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("sample rate 0 Hz is out of range (1000 to 384000 Hz are read)");
        // The field is unsigned: -44100 is a claim of 4294923196 Hz.
        assertThatThrownBy(() -> read(wav(fmt(1, 1, -44_100, 16), data(new byte[4]))))
                .isInstanceOf(UnsupportedWavException.class)
                .hasMessageContaining("sample rate 4294923196 Hz is out of range");
    }

    /**
     * Fuzzing found it (WavReaderFuzzTestInputs/.../rate-1GHz-resampler-oom): a 120-byte file claiming 1073763874 Hz
     * was read, and resampling it to 16 kHz, as {@code voxgate stream} does, ran out of memory building the filter.
     */
    @Test
    void ratesNoAudioHasAreRejected() throws IOException {
        for (int rate : new int[] {1, 999, 384_001, 1_073_763_874, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> read(wav(fmt(1, 1, rate, 16), data(new byte[4]))))
                    .isInstanceOf(UnsupportedWavException.class)
                    .hasMessageContaining("sample rate " + rate + " Hz is out of range");
        }
        assertThat(read(wav(fmt(1, 1, 1000, 16), data(new byte[4]))).sampleRate()).isEqualTo(1000);
        assertThat(read(wav(fmt(1, 1, 384_000, 16), data(new byte[4]))).sampleRate()).isEqualTo(384_000);
    }
}
