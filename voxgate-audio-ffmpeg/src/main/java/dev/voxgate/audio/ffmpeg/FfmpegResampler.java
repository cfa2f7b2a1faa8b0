package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.decode.AudioDecodeException;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

import java.nio.ShortBuffer;

import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_compare;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

/**
 * Turns decoded frames into mono signed 16-bit samples at one rate, with libswresample (which
 * mixes the channels down and filters before changing the rate). A stream may change its rate,
 * channel layout or sample format part-way (chained Ogg, some AAC and MP3 files): the resampler is
 * then emptied and made anew for the new input. Closing frees the native resampler and buffers.
 */
final class FfmpegResampler implements AutoCloseable {
    /** Receives converted samples, valid only during the call. */
    interface SampleHandler {
        void accept(ShortBuffer samples) throws AudioDecodeException;
    }

    private final int outRate;
    private final String format;
    private final AVChannelLayout mono = new AVChannelLayout();
    /** The input layout as the frames carry it, to notice a change. */
    private final AVChannelLayout inLayout = new AVChannelLayout();
    private SwrContext swr;
    private int inRate;
    private int inFormat;
    private ShortPointer out;
    private PointerPointer<ShortPointer> outPlanes;

    /** @param format the file's format, for messages */
    FfmpegResampler(int outRate, String format) {
        this.outRate = outRate;
        this.format = format;
        av_channel_layout_default(mono, 1);
    }

    void convert(AVFrame frame, SampleHandler handler) throws AudioDecodeException {
        if (frame.nb_samples() <= 0) return;
        if (swr == null || inputChanged(frame)) {
            flush(handler);
            configure(frame);
        }
        int capacity = reserve(swr_get_out_samples(swr, frame.nb_samples()));
        int n = swr_convert(swr, outPlanes, capacity, frame.extended_data(), frame.nb_samples());
        if (n < 0) throw FfmpegFailures.cannotDecode(format, n);
        emit(n, handler);
    }

    /** Hands over what the resampler still holds (its filter's delay): at the end, or before the input changes. */
    void flush(SampleHandler handler) throws AudioDecodeException {
        if (swr == null) return;
        while (true) {
            int capacity = reserve(Math.max(swr_get_out_samples(swr, 0), 256));
            int n = swr_convert(swr, outPlanes, capacity, (PointerPointer<?>) null, 0);
            if (n < 0) throw FfmpegFailures.cannotDecode(format, n);
            if (n == 0) return;
            emit(n, handler);
        }
    }

    private boolean inputChanged(AVFrame frame) {
        return frame.sample_rate() != inRate || frame.format() != inFormat
                || av_channel_layout_compare(frame.ch_layout(), inLayout) != 0;
    }

    private void configure(AVFrame frame) throws AudioDecodeException {
        freeResampler();
        inRate = frame.sample_rate();
        inFormat = frame.format();
        int ret = av_channel_layout_copy(inLayout, frame.ch_layout());
        if (ret < 0) throw FfmpegFailures.cannotDecode(format, ret);
        AVChannelLayout layout = new AVChannelLayout();
        try {
            // Some decoders give only a channel count: mix those channels as their usual layout.
            if (inLayout.order() == AV_CHANNEL_ORDER_UNSPEC) {
                av_channel_layout_default(layout, inLayout.nb_channels());
            } else if ((ret = av_channel_layout_copy(layout, inLayout)) < 0) {
                throw FfmpegFailures.cannotDecode(format, ret);
            }
            SwrContext created = new SwrContext(null);
            ret = swr_alloc_set_opts2(created, mono, AV_SAMPLE_FMT_S16, outRate, layout, inFormat, inRate, 0, null);
            if (ret >= 0) {
                swr = created;
                ret = swr_init(swr);
            } else {
                swr_free(created);
            }
            if (ret < 0) throw FfmpegFailures.cannotDecode(format, ret);
        } finally {
            av_channel_layout_uninit(layout);
            layout.close();
        }
    }

    /** Makes room for at least {@code samples} output samples; returns the room there is. */
    private int reserve(int samples) {
        if (out == null || out.capacity() < samples) {
            freeBuffers();
            out = new ShortPointer(Math.max(samples, 4096));
            // not new PointerPointer(out): that one is a cast
            outPlanes = new PointerPointer<ShortPointer>(1).put(0, out);
        }
        return (int) out.capacity();
    }

    private void emit(int n, SampleHandler handler) throws AudioDecodeException {
        if (n > 0) handler.accept(out.position(0).limit(n).asBuffer());
        out.limit(out.capacity());
    }

    @Override
    public void close() {
        freeResampler();
        freeBuffers();
        av_channel_layout_uninit(inLayout);
        inLayout.close();
        mono.close();
    }

    private void freeResampler() {
        if (swr != null) swr_free(swr); // sets the pointer to null, so a second free does nothing
        swr = null;
    }

    private void freeBuffers() {
        if (outPlanes != null) outPlanes.close();
        if (out != null) out.close();
        outPlanes = null;
        out = null;
    }
}
