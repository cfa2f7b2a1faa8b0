package dev.voxgate.audio.ffmpeg;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

/** A short MPEG-4 video with no sound track: a file that is media but has nothing to transcribe. */
final class SilentVideo {
    private SilentVideo() {
    }

    /** Two seconds of 64×64 changing pictures at 10 frames a second, in an MP4. */
    static Path write(Path out) throws IOException {
        try (Muxer muxer = new Muxer(out, "mp4")) {
            AVCodec codec = avcodec_find_encoder_by_name("mpeg4");
            AVCodecContext encoder = avcodec_alloc_context3(codec);
            AVPacket packet = av_packet_alloc();
            try {
                encoder.width(64).height(64).pix_fmt(AV_PIX_FMT_YUV420P).time_base(av_make_q(1, 10))
                        .framerate(av_make_q(10, 1));
                muxer.prepare(encoder);
                Muxer.check(avcodec_open2(encoder, codec, (PointerPointer<?>) null), "avcodec_open2 mpeg4");
                muxer.start(encoder, Map.of());
                for (int i = 0; i <= 20; i++) {
                    AVFrame frame = i < 20 ? picture(i) : null; // null: drain the encoder
                    try {
                        Muxer.check(avcodec_send_frame(encoder, frame), "avcodec_send_frame");
                        while (avcodec_receive_packet(encoder, packet) >= 0) muxer.write(packet);
                    } finally {
                        if (frame != null) av_frame_free(frame);
                    }
                }
                muxer.finish();
            } finally {
                av_packet_free(packet);
                avcodec_free_context(encoder);
            }
        }
        return out;
    }

    private static AVFrame picture(int index) throws IOException {
        AVFrame frame = av_frame_alloc();
        frame.width(64).height(64).format(AV_PIX_FMT_YUV420P).pts(index);
        Muxer.check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
        for (int plane = 0; plane < 3; plane++) {
            int size = plane == 0 ? 64 : 32;
            BytePointer data = frame.data(plane);
            int stride = frame.linesize(plane);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) data.put((long) y * stride + x, (byte) (index * 10 + x + y * plane));
            }
        }
        return frame;
    }
}
