package dev.voxgate.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntSupplier;

import static dev.voxgate.audio.Signals.db;
import static dev.voxgate.audio.Signals.fitSine;
import static dev.voxgate.audio.Signals.peak;
import static dev.voxgate.audio.Signals.sine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@Timeout(60)
class ResamplerTest {

    /** Output samples at each end left out of measurements: there the filter sees the silence around the signal. */
    private static int margin(int outputRate) {
        return outputRate / 20;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "8000, 16000", "16000, 8000", "44100, 16000", "48000, 16000", "22050, 16000", "11025, 16000",
            "16000, 44100", "12345, 16000", "16000, 12345", "48000, 8000", "32000, 16000", "44100, 48000"})
    void outputLengthIsInputLengthTimesTheRateRatio(int in, int out) {
        for (int length : new int[] {0, 1, 2, 3, 999, 12_345, in}) {
            short[] input = sine(440, in, length, 8000);
            long expected = (long) Math.ceil(length * (double) out / in);

            short[] all = Resampler.resampleAll(input, in, out);
            assertThat(all).as("%d samples at %d -> %d", length, in, out).hasSize((int) expected);

            Resampler streaming = new Resampler(in, out);
            short[] streamed = Pcm16.concat(streaming.process(input, 0, length), streaming.flush());
            assertThat(streamed).as("streamed %d samples at %d -> %d", length, in, out).hasSize((int) expected);
        }
    }

    @Test
    void oneSecondAt44100BecomesOneSecondAt16000() {
        assertThat(Resampler.resampleAll(new short[44_100], 44_100, 16_000)).hasSize(16_000);
        assertThat(Resampler.resampleAll(new short[16_000], 16_000, 44_100)).hasSize(44_100);
        assertThat(Resampler.resampleAll(new short[12_345], 12_345, 16_000)).hasSize(16_000);
    }

    @ParameterizedTest(name = "{2} Hz at {0} -> {1}")
    @CsvSource({
            "44100, 16000, 1000", "48000, 16000, 1000", "8000, 16000, 1000", "16000, 8000, 1000",
            "22050, 16000, 3000", "11025, 16000, 2000", "16000, 44100, 5000", "12345, 16000, 1500",
            "16000, 12345, 2500", "48000, 8000, 3000", "44100, 16000, 5500"})
    void passBandSineKeepsItsFrequencyAmplitudeAndPhase(int in, int out, double frequency) {
        double amplitude = 20_000;
        short[] resampled = Resampler.resampleAll(sine(frequency, in, in, amplitude), in, out);

        // Fit a sine of the same frequency at the output rate: a shifted frequency, a delay or a
        // gain error all show up in the fit.
        double[] fit = fitSine(resampled, margin(out), resampled.length - margin(out), frequency, out);
        assertThat(db(fit[0] / amplitude)).as("gain in dB").isCloseTo(0.0, within(0.5));
        assertThat(fit[1]).as("phase in radians (output sample 0 sits at input time 0)").isCloseTo(0.0, within(0.01));
        assertThat(fit[2] / amplitude).as("residual relative to the tone").isLessThan(0.003);
    }

    @Test
    void kiloHertzToneAt44100To16000KeepsItsAmplitudeWithinHalfADecibel() {
        short[] resampled = Resampler.resampleAll(sine(1000, 44_100, 2 * 44_100, 10_000), 44_100, 16_000);

        double[] fit = fitSine(resampled, 800, resampled.length - 800, 1000, 16_000);
        assertThat(db(fit[0] / 10_000)).isBetween(-0.5, 0.5);
        // No energy left at another frequency: a resampler with a wrong ratio would leave a large residual.
        double[] wrongFrequency = fitSine(resampled, 800, resampled.length - 800, 1000 * 44_100 / 48_000.0, 16_000);
        assertThat(wrongFrequency[0]).isLessThan(fit[0] / 10);
    }

    @Test
    void downsamplingRemovesContentAboveTheNewNyquist() {
        // 7 kHz cannot be represented at 8 kHz; without filtering it would alias to 1 kHz.
        double amplitude = 30_000;
        short[] resampled = Resampler.resampleAll(sine(7000, 48_000, 48_000, amplitude), 48_000, 8000);

        int from = margin(8000), to = resampled.length - margin(8000);
        assertThat(db(peak(resampled, from, to) / amplitude)).as("peak level in dB").isLessThan(-60.0);
        assertThat(db(fitSine(resampled, from, to, 1000, 8000)[0] / amplitude)).as("alias at 1 kHz in dB")
                .isLessThan(-60.0);
    }

    @ParameterizedTest(name = "{2} Hz at {0} -> {1}")
    @CsvSource({
            "48000, 16000, 8800", "48000, 16000, 10000", "48000, 16000, 15000", "48000, 16000, 23000",
            "44100, 16000, 8800", "44100, 16000, 12000", "44100, 16000, 20000",
            "22050, 16000, 9000", "22050, 16000, 10500", "16000, 8000, 4400", "16000, 8000, 6000",
            "48000, 8000, 4400", "48000, 8000, 7000", "48000, 8000, 20000", "16000, 12345, 7000"})
    void tonesAboveTheNewNyquistAreAttenuatedBySixtyDecibels(int in, int out, double frequency) {
        double amplitude = 30_000;
        short[] resampled = Resampler.resampleAll(sine(frequency, in, in, amplitude), in, out);

        int peak = peak(resampled, margin(out), resampled.length - margin(out));
        assertThat(db(Math.max(peak, 1) / amplitude)).as("level left in dB").isLessThan(-60.0);
    }

    @ParameterizedTest(name = "{2} Hz at {0} -> {1}")
    @CsvSource({"8000, 16000, 3000", "8000, 16000, 1000", "16000, 44100, 5000", "11025, 16000, 4000",
            "16000, 48000, 6000"})
    void upsamplingCreatesNoImagesOfTheSpectrum(int in, int out, double frequency) {
        double amplitude = 30_000;
        short[] resampled = Resampler.resampleAll(sine(frequency, in, in, amplitude), in, out);

        int from = margin(out), to = resampled.length - margin(out);
        double[] fit = fitSine(resampled, from, to, frequency, out);
        assertThat(db(fit[0] / amplitude)).isCloseTo(0.0, within(0.5));
        // Everything that is not the tone (images at in - f, in + f, ...) is at least 60 dB down.
        assertThat(db(fit[2] / amplitude)).as("residual in dB").isLessThan(-60.0);
        assertThat(db(fitSine(resampled, from, to, in - frequency, out)[0] / amplitude)).as("first image in dB")
                .isLessThan(-60.0);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"8000, 16000", "44100, 16000", "48000, 16000", "22050, 16000", "11025, 16000", "16000, 44100",
            "12345, 16000", "48000, 8000"})
    void dcLevelIsPreserved(int in, int out) {
        for (short level : new short[] {12_345, -20_000, 1, 32_767, -32_768}) {
            short[] resampled = Resampler.resampleAll(Signals.constant(level, in), in, out);
            for (int i = margin(out); i < resampled.length - margin(out); i++) {
                assertThat((int) resampled[i]).as("sample %d for level %d", i, level).isCloseTo(level, within(1));
            }
        }
    }

    @ParameterizedTest(name = "chunks of {0}")
    @CsvSource({"1", "7", "1000", "-1"})
    void streamingInAnyChunkSizesGivesTheSameSamplesAsResampleAll(int chunk) {
        short[] input = testSignal(20_000, 42);
        int[][] pairs = {{44_100, 16_000}, {8000, 16_000}, {12_345, 16_000}, {16_000, 44_100}, {48_000, 8000}};
        for (int[] pair : pairs) {
            short[] expected = Resampler.resampleAll(input, pair[0], pair[1]);
            Random random = new Random(7);
            IntSupplier sizes = chunk > 0 ? () -> chunk : () -> random.nextInt(0, 3000);

            Resampler r = new Resampler(pair[0], pair[1]);
            short[] streamed = new short[0];
            for (int pos = 0; pos < input.length; ) {
                int n = Math.min(sizes.getAsInt(), input.length - pos);
                streamed = Pcm16.concat(streamed, r.process(input, pos, n));
                pos += n;
            }
            streamed = Pcm16.concat(streamed, r.flush());

            assertThat(streamed).as("%d -> %d", pair[0], pair[1]).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat((int) streamed[i]).as("sample %d at %d -> %d", i, pair[0], pair[1])
                        .isCloseTo(expected[i], within(1));
            }
        }
    }

    @Test
    void processReadsOnlyTheGivenRangeOfTheArray() {
        short[] input = testSignal(5000, 3);
        short[] padded = new short[input.length + 200];
        Arrays.fill(padded, Short.MAX_VALUE);
        System.arraycopy(input, 0, padded, 100, input.length);

        Resampler r = new Resampler(44_100, 16_000);
        short[] out = Pcm16.concat(r.process(padded, 100, input.length), r.flush());

        assertThat(out).isEqualTo(Resampler.resampleAll(input, 44_100, 16_000));
    }

    @Test
    void outputIsProducedAsSoonAsTheFilterHasEnoughInput() {
        Resampler r = new Resampler(16_000, 8000);
        int produced = r.process(testSignal(16_000, 5), 0, 16_000).length;
        // All but the last few outputs (those whose filter reaches past the input) come out before flush.
        assertThat(produced).isBetween(8000 - 100, 8000 - 1);
        assertThat(produced + r.flush().length).isEqualTo(8000);
    }

    @Test
    void identityRateReturnsACopy() {
        short[] input = testSignal(1000, 9);
        short[] original = input.clone();

        short[] out = Resampler.resampleAll(input, 16_000, 16_000);

        assertThat(out).isEqualTo(original).isNotSameAs(input);
        out[0] ^= 0x5555;
        assertThat(input).isEqualTo(original);
    }

    @Test
    void emptyInputGivesEmptyOutput() {
        assertThat(Resampler.resampleAll(new short[0], 44_100, 16_000)).isEmpty();
        Resampler r = new Resampler(8000, 16_000);
        assertThat(r.process(new short[0], 0, 0)).isEmpty();
        assertThat(r.flush()).isEmpty();
    }

    @Test
    void resampleAllDoesNotModifyItsInput() {
        short[] input = testSignal(3000, 11);
        short[] original = input.clone();
        Resampler.resampleAll(input, 48_000, 16_000);
        assertThat(input).isEqualTo(original);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"48000, 16000", "8000, 16000", "44100, 16000", "16000, 44100"})
    void fullScaleInputClipsInsteadOfWrappingAround(int in, int out) {
        // A square wave rings past full scale at its edges (Gibbs). At half scale nothing clips,
        // so the full-scale output must be twice the half-scale output, clipped: a value that
        // overflowed and wrapped around to the other sign would break that.
        short[] half = Resampler.resampleAll(Signals.square(100, in, in, (short) 16_383, (short) -16_384), in, out);
        short[] full = Resampler.resampleAll(Signals.square(100, in, in, Short.MAX_VALUE, Short.MIN_VALUE), in, out);
        assertThat(peak(half, 0, half.length)).as("premise: the half-scale square overshoots but does not clip")
                .isGreaterThan(16_500).isLessThan(Short.MAX_VALUE);
        assertThat(peak(full, 0, full.length)).isEqualTo(32_768);

        for (int i = 0; i < full.length; i++) {
            int expected = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, 2 * half[i]));
            assertThat((int) full[i]).as("sample %d", i).isCloseTo(expected, within(3));
        }
        // Away from the edges the output has the sign of the square wave, at nearly full scale.
        for (int i = margin(out); i < full.length - margin(out); i++) {
            double inputTime = i * (double) in / out;
            if (Signals.distanceToEdge(100, in, inputTime) < 3.0 * in / out) continue;
            int sign = Signals.isHighHalf(100, in, inputTime) ? 1 : -1;
            assertThat(full[i] * sign).as("sample %d", i).isGreaterThan(28_000);
        }
    }

    @Test
    void fullScaleNoiseIsClippedConsistently() {
        Random random = new Random(123);
        short[] noise = new short[20_000];
        for (int i = 0; i < noise.length; i++) noise[i] = random.nextBoolean() ? Short.MAX_VALUE : Short.MIN_VALUE;
        short[] halfNoise = new short[noise.length];
        for (int i = 0; i < noise.length; i++) halfNoise[i] = (short) (noise[i] >> 2);

        short[] full = Resampler.resampleAll(noise, 44_100, 16_000);
        short[] quarter = Resampler.resampleAll(halfNoise, 44_100, 16_000);
        for (int i = 0; i < full.length; i++) {
            int expected = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, 4 * quarter[i]));
            assertThat((int) full[i]).as("sample %d", i).isCloseTo(expected, within(8));
        }
    }

    @Test
    void rejectsNonPositiveRates() {
        assertThatThrownBy(() -> new Resampler(0, 16_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> new Resampler(16_000, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Resampler.resampleAll(new short[1], -8000, 16_000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sharedFilterCacheStaysWithinItsBudgetWhateverTheRatesSeen() {
        new Resampler(44_100, 16_000);
        long afterFirst = Resampler.cachedTableFloats();
        new Resampler(44_100, 16_000);
        assertThat(Resampler.cachedTableFloats()).as("the same pair reuses its table").isEqualTo(afterFirst);

        // Clients choose their rate: many distinct coprime pairs must not grow the cache without bound.
        for (int rate = 1001; rate < 1301; rate++) { // about 40 k coefficients each
            new Resampler(rate, rate + 1);
            assertThat(Resampler.cachedTableFloats()).isLessThanOrEqualTo(Resampler.CACHE_BUDGET_FLOATS);
        }
        // Still correct after evictions.
        short[] input = sine(1000, 44_100, 44_100, 10_000);
        double[] fit = fitSine(Resampler.resampleAll(input, 44_100, 16_000), 800, 15_200, 1000, 16_000);
        assertThat(db(fit[0] / 10_000)).isCloseTo(0.0, within(0.5));
    }

    @Test
    void aVeryLargeFilterTableIsNotKeptInTheSharedCache() {
        long before = Resampler.cachedTableFloats();
        Resampler r = new Resampler(95_999, 96_000); // 96000 phases: about 3.5 M coefficients
        assertThat(Resampler.cachedTableFloats()).isEqualTo(before);

        short[] out = Pcm16.concat(r.process(sine(1000, 95_999, 20_000, 10_000), 0, 20_000), r.flush());
        assertThat(out).hasSize((int) Math.ceil(20_000 * 96_000 / 95_999.0));
        assertThat(db(fitSine(out, 2000, 18_000, 1000, 96_000)[0] / 10_000)).isCloseTo(0.0, within(0.5));
    }

    /** Tones plus noise, deterministic. */
    private static short[] testSignal(int length, long seed) {
        Random random = new Random(seed);
        short[] s = new short[length];
        for (int i = 0; i < length; i++) {
            double v = 9000 * Math.sin(i * 0.05) + 5000 * Math.sin(i * 0.9 + 1) + 3000 * random.nextGaussian();
            s[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
        return s;
    }

    /** Found through WavReaderFuzzTest: 1073763874 Hz to 16 kHz ran out of memory building the filter table. */
    @Test
    void ratePairsNeedingAHugeFilterAreRefusedBeforeBuildingIt() {
        for (int rate : new int[] {1_073_763_874, Integer.MAX_VALUE, 100_000_007}) {
            assertThatThrownBy(() -> new Resampler(rate, 16_000)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("converting " + rate + " Hz to 16000 Hz would need a filter of");
        }
        assertThat(Resampler.resampleAll(new short[441], 44_100, 16_000)).hasSize(160);
        assertThat(Resampler.resampleAll(new short[10], 1_000, 16_000)).hasSize(160);
    }
}
