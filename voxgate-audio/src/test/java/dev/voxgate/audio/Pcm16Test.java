package dev.voxgate.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class Pcm16Test {

    @Test
    void samplesAreEncodedLittleEndianTwosComplement() {
        byte[] bytes = Pcm16.toBytes(new short[] {0x1234, -1, Short.MIN_VALUE, Short.MAX_VALUE, 0});

        assertThat(bytes).containsExactly(0x34, 0x12, 0xFF, 0xFF, 0x00, 0x80, 0xFF, 0x7F, 0x00, 0x00);
    }

    @Test
    void bytesDecodeAsLittleEndianSignedSamples() {
        byte[] bytes = {0x34, 0x12, (byte) 0xFF, (byte) 0xFF, 0x00, (byte) 0x80, (byte) 0xFF, 0x7F, (byte) 0x80, 0x00};

        assertThat(Pcm16.toSamples(bytes)).containsExactly(0x1234, -1, Short.MIN_VALUE, Short.MAX_VALUE, 0x0080);
    }

    @Test
    void everySixteenBitValueSurvivesARoundTrip() {
        short[] all = new short[65_536];
        for (int i = 0; i < all.length; i++) all[i] = (short) (i + Short.MIN_VALUE);

        assertThat(Pcm16.toSamples(Pcm16.toBytes(all))).isEqualTo(all);
    }

    @Test
    void offsetAndCountSelectARange() {
        short[] samples = {1, 2, 3, 4, 5};
        assertThat(Pcm16.toBytes(samples, 1, 3)).isEqualTo(Pcm16.toBytes(new short[] {2, 3, 4}));
        assertThat(Pcm16.toBytes(samples, 5, 0)).isEmpty();

        byte[] bytes = Pcm16.toBytes(samples);
        assertThat(Pcm16.toSamples(bytes, 2, 6)).containsExactly(2, 3, 4);
        assertThat(Pcm16.toSamples(bytes, 3, 2)).containsExactly(0x0300); // odd offset: high byte of 2, low byte of 3
        assertThat(Pcm16.toSamples(bytes, 10, 0)).isEmpty();
    }

    @Test
    void oddByteCountIsRejected() {
        assertThatThrownBy(() -> Pcm16.toSamples(new byte[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("odd PCM16 byte count: 3");
        assertThatThrownBy(() -> Pcm16.toSamples(new byte[10], 2, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void conversionsReturnFreshArrays() {
        short[] samples = {1, 2};
        byte[] bytes = Pcm16.toBytes(samples);
        samples[0] = 99;
        assertThat(Pcm16.toSamples(bytes)).containsExactly(1, 2);

        short[] decoded = Pcm16.toSamples(bytes);
        bytes[0] = 42;
        assertThat(decoded).containsExactly(1, 2);
    }

    @Test
    void clipRoundsToTheNearestSample() {
        assertThat(Pcm16.clip(0f)).isEqualTo((short) 0);
        assertThat(Pcm16.clip(1.4f)).isEqualTo((short) 1);
        assertThat(Pcm16.clip(1.6f)).isEqualTo((short) 2);
        assertThat(Pcm16.clip(-1.4f)).isEqualTo((short) -1);
        assertThat(Pcm16.clip(-1.6f)).isEqualTo((short) -2);
        assertThat(Pcm16.clip(12_345.2f)).isEqualTo((short) 12_345);
    }

    @Test
    void clipSaturatesInsteadOfWrappingAround() {
        assertThat(Pcm16.clip(32_767.4f)).isEqualTo(Short.MAX_VALUE);
        assertThat(Pcm16.clip(32_767.6f)).isEqualTo(Short.MAX_VALUE);
        assertThat(Pcm16.clip(32_768f)).isEqualTo(Short.MAX_VALUE);
        assertThat(Pcm16.clip(40_000f)).isEqualTo(Short.MAX_VALUE);
        assertThat(Pcm16.clip(1e12f)).isEqualTo(Short.MAX_VALUE);
        assertThat(Pcm16.clip(Float.POSITIVE_INFINITY)).isEqualTo(Short.MAX_VALUE);
        assertThat(Pcm16.clip(-32_768f)).isEqualTo(Short.MIN_VALUE);
        assertThat(Pcm16.clip(-32_769f)).isEqualTo(Short.MIN_VALUE);
        assertThat(Pcm16.clip(-1e12f)).isEqualTo(Short.MIN_VALUE);
        assertThat(Pcm16.clip(Float.NEGATIVE_INFINITY)).isEqualTo(Short.MIN_VALUE);
    }

    @Test
    void clipOfNotANumberIsSilence() {
        assertThat(Pcm16.clip(Float.NaN)).isEqualTo((short) 0);
    }
}
