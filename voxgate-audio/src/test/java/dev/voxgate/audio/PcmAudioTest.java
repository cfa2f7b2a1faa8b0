package dev.voxgate.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@Timeout(30)
class PcmAudioTest {

    @Test
    void nonPositiveSampleRatesAreRejected() {
        assertThatThrownBy(() -> new PcmAudio(0, new short[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample rate must be positive: 0");
        assertThatThrownBy(() -> new PcmAudio(-16_000, new short[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secondsIsSamplesOverRate() {
        assertThat(new PcmAudio(16_000, new short[24_000]).seconds()).isEqualTo(1.5);
        assertThat(new PcmAudio(44_100, new short[1]).seconds()).isCloseTo(1 / 44_100.0, within(1e-15));
        assertThat(new PcmAudio(8000, new short[0]).seconds()).isZero();
    }

    @Test
    void toBytesIsLittleEndianPcm16() {
        assertThat(new PcmAudio(8000, new short[] {0x0102, -1}).toBytes()).containsExactly(0x02, 0x01, 0xFF, 0xFF);
    }

    @Test
    void resamplingToTheSameRateKeepsTheAudio() {
        PcmAudio audio = new PcmAudio(16_000, new short[] {1, 2, 3});
        PcmAudio same = audio.resampledTo(16_000);

        assertThat(same.sampleRate()).isEqualTo(16_000);
        assertThat(same.samples()).containsExactly(1, 2, 3);
    }

    @Test
    void resamplingToAnotherRateGivesNewAudioOfTheSameDuration() {
        short[] samples = Signals.sine(440, 44_100, 44_100, 10_000);
        short[] original = samples.clone();
        PcmAudio audio = new PcmAudio(44_100, samples);

        PcmAudio at16k = audio.resampledTo(16_000);

        assertThat(at16k.sampleRate()).isEqualTo(16_000);
        assertThat(at16k.samples()).hasSize(16_000).isEqualTo(Resampler.resampleAll(original, 44_100, 16_000));
        assertThat(at16k.seconds()).isCloseTo(audio.seconds(), within(1 / 16_000.0));
        assertThat(audio.samples()).as("the source is untouched").isEqualTo(original);
        assertThat(audio.sampleRate()).isEqualTo(44_100);
    }

    @Test
    void resamplingToANonPositiveRateIsRejected() {
        PcmAudio audio = new PcmAudio(16_000, new short[10]);
        assertThatThrownBy(() -> audio.resampledTo(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
