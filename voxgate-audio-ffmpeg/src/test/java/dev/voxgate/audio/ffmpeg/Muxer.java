package dev.voxgate.audio.ffmpeg;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

/** A test file of one stream written by an FFmpeg muxer: the container half of the tests' encoders. */
final class Muxer implements AutoCloseable {
    private final AVFormatContext container;
    private final AVStream stream;
    private final AVIOContext pb = new AVIOContext(null);
    private AVCodecContext encoder;

    Muxer(Path out, String format) throws IOException {
        FfmpegNatives.load();
        container = new AVFormatContext(null);
        check(avformat_alloc_output_context2(container, null, format, out.toString()), "avformat_alloc_output_context2 "
                + format);
        stream = avformat_new_stream(container, null);
        check(avio_open(pb, out.toString(), AVIO_FLAG_WRITE), "avio_open");
        container.pb(pb);
    }

    /** Call before the encoder opens: some containers want the codec's headers out of band. */
    void prepare(AVCodecContext encoder) {
        if ((container.oformat()
                .flags() & AVFMT_GLOBALHEADER) != 0) encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }

    /** Call once the encoder is open: writes the header, with the muxer's options (e.g. movflags). */
    void start(AVCodecContext encoder, Map<String, String> options) throws IOException {
        this.encoder = encoder;
        check(avcodec_parameters_from_context(stream.codecpar(), encoder), "avcodec_parameters_from_context");
        stream.time_base(encoder.time_base());
        AVDictionary dict = new AVDictionary(null);
        try {
            options.forEach((k, v) -> av_dict_set(dict, k, v, 0));
            check(avformat_write_header(container, dict), "avformat_write_header");
        } finally {
            av_dict_free(dict);
        }
    }

    /** Writes a packet the encoder made, its times moved from the encoder's time base to the stream's. */
    void write(AVPacket packet) throws IOException {
        av_packet_rescale_ts(packet, encoder.time_base(), stream.time_base());
        packet.stream_index(stream.index());
        check(av_interleaved_write_frame(container, packet), "av_interleaved_write_frame");
    }

    /** Writes the trailer (an MP4's index) and closes the file. */
    void finish() throws IOException {
        check(av_write_trailer(container), "av_write_trailer");
    }

    @Override
    public void close() {
        avio_closep(pb);
        container.pb(null);
        avformat_free_context(container);
    }

    static void check(int ret, String what) throws IOException {
        if (ret < 0) throw new IOException(what + ": " + FfmpegErrors.describe(ret));
    }
}
