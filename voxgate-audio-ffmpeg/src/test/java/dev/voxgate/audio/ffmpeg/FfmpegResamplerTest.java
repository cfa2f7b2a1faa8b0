package dev.voxgate.audio.ffmpeg;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.ShortPointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ShortBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;

/**
 * A stream whose rate, layout and sample format change part-way (a chained Ogg file, an AAC
 * stream switching configuration) comes out as one continuous mono stream at the target rate.
 */
@Timeout(30)
class FfmpegResamplerTest {
    private static final int OUT = 16_000;
    private static final double TONE = 440;

    @BeforeAll
    static void natives() throws Exception {
        FfmpegNatives.load();
    }

    @Test
    void aChangeOfRateLayoutAndFormatMidStreamKeepsEverySecond() throws Exception {
        short[] out = new short[4 * OUT];
        int[] n = {0};
        try (FfmpegResampler resampler = new FfmpegResampler(OUT, "test")) {
            FfmpegResampler.SampleHandler collect = (ShortBuffer s) -> {
                s.get(s.position(), out, n[0], s.remaining());
                n[0] += s.remaining();
            };
            // 1 s of 8 kHz mono
            for (int i = 0; i < 10; i++) convert(resampler, collect, monoS16(8_000, 800, i * 800));
            // 1 s of 44.1 kHz stereo
            for (int i = 0; i < 10; i++) convert(resampler, collect, stereoFloat(44_100, 4410, i * 4410));
            resampler.flush(collect);
        }
        System.out.printf("[resampler] 1 s at 8 kHz mono s16 + 1 s at 44.1 kHz stereo fltp -> %d samples at 16 kHz%n",
                n[0]);
        assertThat(n[0]).as("samples for two seconds, the first part's filter delay flushed before the switch")
                .isBetween(2 * OUT - 2, 2 * OUT + 2);
        short[] first = Arrays.copyOfRange(out, 100, OUT - 100);
        short[] second = Arrays.copyOfRange(out, OUT + 100, 2 * OUT - 100);
        assertThat(frequency(first)).as("tone in the 8 kHz part").isCloseTo(TONE, within(5.0));
        assertThat(frequency(second)).as("tone in the 44.1 kHz part").isCloseTo(TONE, within(5.0));
    }

    private static void convert(FfmpegResampler resampler, FfmpegResampler.SampleHandler handler,
            AVFrame frame) throws Exception {
        try {
            resampler.convert(frame, handler);
        } finally {
            av_frame_free(frame);
        }
    }

    private static AVFrame frame(int rate, int samples, int channels, int format) {
        AVFrame f = av_frame_alloc();
        f.sample_rate(rate).nb_samples(samples).format(format);
        av_channel_layout_default(f.ch_layout(), channels);
        assertThat(av_frame_get_buffer(f, 0)).isZero();
        return f;
    }

    private static AVFrame monoS16(int rate, int samples, int offset) {
        AVFrame f = frame(rate, samples, 1, AV_SAMPLE_FMT_S16);
        ShortPointer data = new ShortPointer(f.data(0));
        for (int i = 0; i < samples; i++) {
            data.put(i, (short) (10_000 * Math.sin(2 * Math.PI * TONE * (offset + i) / rate)));
        }
        return f;
    }

    private static AVFrame stereoFloat(int rate, int samples, int offset) {
        AVFrame f = frame(rate, samples, 2, AV_SAMPLE_FMT_FLTP);
        for (int plane = 0; plane < 2; plane++) {
            FloatPointer data = new FloatPointer(f.data(plane));
            for (int i = 0; i < samples; i++) {
                data.put(i, (float) (0.3 * Math.sin(2 * Math.PI * TONE * (offset + i) / rate)));
            }
        }
        return f;
    }

    /** The tone's frequency from the rising zero crossings. */
    private static double frequency(short[] s) {
        int first = -1, last = -1, crossings = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i - 1] < 0 && s[i] >= 0) {
                if (first < 0) first = i;
                last = i;
                crossings++;
            }
        }
        return (crossings - 1) * (double) OUT / (last - first);
    }
}
