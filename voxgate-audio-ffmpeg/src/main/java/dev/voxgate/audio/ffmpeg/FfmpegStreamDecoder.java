package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.decode.AudioDecodeException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOMEM;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

/**
 * The codec of one audio stream, opened to decode on the calling thread. Damaged packets and
 * frames are skipped, as FFmpeg's command line does, so that a file hurt in one place still yields
 * the rest of its audio. Closing frees the codec context and the frame.
 */
final class FfmpegStreamDecoder implements AutoCloseable {
    /** Receives each decoded frame; the frame is reused once the call returns. */
    interface FrameHandler {
        void accept(AVFrame frame) throws AudioDecodeException;
    }

    private final AVCodecContext context;
    private final AVFrame frame;

    private FfmpegStreamDecoder(AVCodecContext context, AVFrame frame) {
        this.context = context;
        this.frame = frame;
    }

    /** @param format the file's format, for messages */
    static FfmpegStreamDecoder open(AVStream stream, String format) throws AudioDecodeException {
        AVCodecParameters par = stream.codecpar();
        AVCodec codec = avcodec_find_decoder(par.codec_id());
        if (codec == null || codec.isNull()) {
            throw FfmpegFailures.unsupportedCodec(format, avcodec_get_name(par.codec_id()).getString());
        }
        AVCodecContext context = avcodec_alloc_context3(codec);
        if (context == null || context.isNull()) throw FfmpegFailures.cannotOpen(format, AVERROR_ENOMEM());
        AVFrame frame = null;
        boolean opened = false;
        try {
            int ret = avcodec_parameters_to_context(context, par);
            if (ret < 0) throw FfmpegFailures.cannotOpen(format, ret);
            context.pkt_timebase(stream.time_base()); // lets the decoder trim encoder delay and padding by time stamp
            context.thread_count(1); // FFmpeg would start frame threads (one per core) for FLAC and others
            ret = avcodec_open2(context, codec, (PointerPointer<?>) null);
            if (ret < 0) throw FfmpegFailures.cannotOpen(format, ret);
            frame = av_frame_alloc();
            if (frame == null || frame.isNull()) throw FfmpegFailures.cannotOpen(format, AVERROR_ENOMEM());
            opened = true;
            return new FfmpegStreamDecoder(context, frame);
        } finally {
            if (!opened) {
                if (frame != null) av_frame_free(frame);
                avcodec_free_context(context);
            }
        }
    }

    /**
     * Feeds one packet and hands over every frame it completes; {@code null} drains the frames
     * the codec still holds at the end of the stream. A packet the codec refuses as damaged is
     * dropped, and so is a frame it cannot decode.
     */
    void decode(AVPacket packet, FrameHandler handler) throws AudioDecodeException {
        int sent = avcodec_send_packet(context, packet);
        receiveAll(handler);
        if (sent == AVERROR_EAGAIN()) { // frames left over from a damaged one were still waiting
            avcodec_send_packet(context, packet);
            receiveAll(handler);
        }
    }

    /** Until the codec wants the next packet (EAGAIN), is drained (EOF), or fails on a damaged frame. */
    private void receiveAll(FrameHandler handler) throws AudioDecodeException {
        while (avcodec_receive_frame(context, frame) >= 0) {
            try {
                handler.accept(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    @Override
    public void close() {
        av_frame_free(frame);
        avcodec_free_context(context);
    }
}
