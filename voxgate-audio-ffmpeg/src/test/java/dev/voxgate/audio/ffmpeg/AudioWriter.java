package dev.voxgate.audio.ffmpeg;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CAP_EXPERIMENTAL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CAP_SMALL_LAST_FRAME;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CAP_VARIABLE_FRAME_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CONFIG_SAMPLE_FORMAT;
import static org.bytedeco.ffmpeg.global.avcodec.FF_COMPLIANCE_EXPERIMENTAL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_supported_config;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

/**
 * Encodes interleaved signed 16-bit samples with one of FFmpeg's audio encoders into a file: how
 * the tests make audio of every format, with the same FFmpeg build that decodes it (and without
 * JavaCV, whose recorder loads libavdevice and so needs PulseAudio).
 */
final class AudioWriter implements AutoCloseable {
    private final Muxer muxer;
    private final AVCodecContext encoder;
    private final SwrContext convert = new SwrContext(null);
    private final AVPacket packet;
    private final int channels;
    private final int frameSize;
    private final boolean shortLastFrame;
    private final short[] pending;
    private int filled;
    private long pts;

    /**
     * @param encoderName FFmpeg's encoder, e.g. {@code libmp3lame}
     * @param options     the muxer's options, e.g. {@code movflags=+faststart}
     */
    AudioWriter(Path out, String muxerName, String encoderName, int sampleRate, int channels, long bitRate,
                Map<String, String> options) throws IOException {
        this.channels = channels;
        muxer = new Muxer(out, muxerName);
        AVCodec codec = avcodec_find_encoder_by_name(encoderName);
        if (codec == null || codec.isNull()) throw new IOException("no encoder " + encoderName
                + " in this FFmpeg build");
        encoder = avcodec_alloc_context3(codec);
        encoder.sample_rate(sampleRate);
        av_channel_layout_default(encoder.ch_layout(), channels);
        encoder.sample_fmt(sampleFormat(codec));
        encoder.bit_rate(bitRate);
        encoder.time_base(av_make_q(1, sampleRate));
        if ((codec.capabilities() & AV_CODEC_CAP_EXPERIMENTAL) != 0) {
            encoder.strict_std_compliance(FF_COMPLIANCE_EXPERIMENTAL);
        }
        muxer.prepare(encoder);
        Muxer.check(avcodec_open2(encoder, codec, (PointerPointer<?>) null), "avcodec_open2 " + encoderName);
        muxer.start(encoder, options);
        Muxer.check(swr_alloc_set_opts2(convert, encoder.ch_layout(), encoder.sample_fmt(), sampleRate,
                encoder.ch_layout(), AV_SAMPLE_FMT_S16, sampleRate, 0, null), "swr_alloc_set_opts2");
        Muxer.check(swr_init(convert), "swr_init");
        boolean variable = (codec.capabilities() & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0 || encoder.frame_size() <= 0;
        frameSize = variable ? 4096 : encoder.frame_size();
        shortLastFrame = variable || (codec.capabilities() & AV_CODEC_CAP_SMALL_LAST_FRAME) != 0;
        pending = new short[frameSize * channels];
        packet = av_packet_alloc();
    }

    /** S16 when the encoder takes it, else its first choice (AAC and Vorbis take planar float only). */
    private static int sampleFormat(AVCodec codec) {
        PointerPointer<?> list = new PointerPointer<>(1);
        IntPointer count = new IntPointer(1);
        try {
            avcodec_get_supported_config(null, codec, AV_CODEC_CONFIG_SAMPLE_FORMAT, 0, list, count);
            if (list.get(0) == null) return AV_SAMPLE_FMT_S16;
            IntPointer formats = new IntPointer(list.get(0));
            for (int i = 0; i < count.get(); i++) if (formats.get(i) == AV_SAMPLE_FMT_S16) return AV_SAMPLE_FMT_S16;
            return formats.get(0);
        } finally {
            list.close();
            count.close();
        }
    }

    /** Appends interleaved samples ({@code channels} per instant). */
    void write(short[] interleaved) throws IOException {
        int pos = 0;
        while (pos < interleaved.length) {
            int n = Math.min(pending.length - filled, interleaved.length - pos);
            System.arraycopy(interleaved, pos, pending, filled, n);
            filled += n;
            pos += n;
            if (filled == pending.length) encodePending();
        }
    }

    /** Encodes what is left, drains the encoder and writes the trailer. */
    void finish() throws IOException {
        if (filled > 0) {
            if (!shortLastFrame) { // this encoder takes whole frames only: pad with silence
                Arrays.fill(pending, filled, pending.length, (short) 0);
                filled = pending.length;
            }
            encodePending();
        }
        send(null);
        muxer.finish();
    }

    private void encodePending() throws IOException {
        int samples = filled / channels;
        AVFrame frame = av_frame_alloc();
        try (ShortPointer in = new ShortPointer(pending);
                PointerPointer<ShortPointer> inPlanes = new PointerPointer<ShortPointer>(1).put(0, in)) {
            frame.nb_samples(samples);
            frame.format(encoder.sample_fmt());
            frame.sample_rate(encoder.sample_rate());
            av_channel_layout_copy(frame.ch_layout(), encoder.ch_layout());
            Muxer.check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
            Muxer.check(swr_convert(convert, frame.extended_data(), samples, inPlanes, samples), "swr_convert");
            frame.pts(pts);
            pts += samples;
            send(frame);
        } finally {
            av_frame_free(frame);
        }
        filled = 0;
    }

    private void send(AVFrame frame) throws IOException {
        Muxer.check(avcodec_send_frame(encoder, frame), "avcodec_send_frame");
        while (avcodec_receive_packet(encoder, packet) >= 0) muxer.write(packet);
    }

    @Override
    public void close() {
        av_packet_free(packet);
        swr_free(convert);
        avcodec_free_context(encoder);
        muxer.close();
    }
}
