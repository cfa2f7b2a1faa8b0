package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioFileUnreadableException;
import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.decode.EmptyAudioFileException;
import dev.voxgate.audio.decode.NotAudioException;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalDouble;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avio_size;
import static org.bytedeco.ffmpeg.global.avformat.avio_tell;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOMEM;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

/**
 * One file opened with FFmpeg: checked, probed by content, its best audio stream chosen and its
 * codec opened, ready to decode. Closing releases the native contexts. Not thread-safe: one thread
 * uses it from open to close.
 */
final class FfmpegInput implements AutoCloseable {
    /** Receives each piece of decoded audio: samples valid only during the call, and the fraction of the file read. */
    interface FrameConsumer {
        void accept(ShortBuffer samples, double fraction);
    }

    private final AVFormatContext container;
    private final AVStream stream;
    private final FfmpegStreamDecoder decoder;
    private final AudioProbe probe;
    private final long startMicros;
    private final long durationMicros;
    private double fraction;

    private FfmpegInput(AVFormatContext container, AVStream stream, FfmpegStreamDecoder decoder, AudioProbe probe,
                        long startMicros, long durationMicros) {
        this.container = container;
        this.stream = stream;
        this.decoder = decoder;
        this.probe = probe;
        this.startMicros = startMicros;
        this.durationMicros = durationMicros;
    }

    AudioProbe probe() {
        return probe;
    }

    static FfmpegInput open(Path file) throws AudioDecodeException {
        Path path = file.toAbsolutePath();
        if (Files.isDirectory(path)) throw new AudioFileUnreadableException("This is a folder, not a file.");
        if (Files.exists(path)
                && !Files.isReadable(path)) throw new AudioFileUnreadableException(
                        "The file cannot be read (no permission).");
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new AudioFileUnreadableException("The file does not exist.", e);
        } catch (AccessDeniedException e) {
            throw new AudioFileUnreadableException("The file cannot be read (no permission).", e);
        } catch (IOException e) { // the JDK's messages name the path: keep it out of what users see
            throw new AudioFileUnreadableException("The file cannot be read (" + e.getClass().getSimpleName() + ").",
                    e);
        }
        if (size == 0) throw new EmptyAudioFileException("The file is empty (0 bytes).");
        FfmpegNatives.load();

        String url = "file:" + path; // the file protocol only: no other protocol's syntax in a path applies
        AVInputFormat demuxer = FfmpegContentProbe.demuxer(url);
        String demuxerName = demuxer.name().getString();
        String refusal = FfmpegFormats.refusal(demuxerName);
        if (refusal != null) throw new NotAudioException("This is not an audio file: " + refusal + ".");

        AVFormatContext container = openContainer(url, demuxer, FfmpegFormats.normalise(demuxerName, null));
        FfmpegStreamDecoder decoder = null;
        boolean ok = false;
        try {
            AVStream stream = container.streams(audioStream(container, FfmpegFormats.normalise(demuxerName, null)));
            AVCodecParameters par = stream.codecpar();
            String codec = avcodec_get_name(par.codec_id()).getString();
            String format = FfmpegFormats.normalise(demuxerName, codec);
            decoder = FfmpegStreamDecoder.open(stream, format);
            long start = container.start_time() != AV_NOPTS_VALUE ? container.start_time() : 0;
            long duration = container.duration() != AV_NOPTS_VALUE && container.duration() > 0 ? container.duration()
                    : streamDuration(stream);
            OptionalDouble seconds = duration > 0 ? OptionalDouble.of(duration / (double) AV_TIME_BASE)
                    : OptionalDouble.empty();
            AudioProbe probe =
                    new AudioProbe(format, demuxerName, codec, seconds, par.sample_rate(),
                            par.ch_layout().nb_channels());
            if (probe.sampleRate() <= 0 || probe.channels() <= 0) throw FfmpegFailures.noValidStreamParameters(format);
            ok = true;
            return new FfmpegInput(container, stream, decoder, probe, start, duration);
        } finally {
            if (!ok) {
                if (decoder != null) decoder.close();
                avformat_close_input(container);
            }
        }
    }

    /**
     * Opens the container with the demuxer the content named, so that neither the name nor a
     * second guess of FFmpeg's picks another, and reads enough packets to know every stream.
     */
    private static AVFormatContext openContainer(String url, AVInputFormat demuxer,
            String format) throws AudioDecodeException {
        AVFormatContext container = new AVFormatContext(null);
        AVDictionary options = new AVDictionary(null);
        int ret;
        try {
            // also for whatever a demuxer opens from inside the file
            av_dict_set(options, "protocol_whitelist", "file", 0);
            ret = avformat_open_input(container, url, demuxer, options);
        } finally {
            av_dict_free(options);
        }
        if (ret < 0) throw FfmpegFailures.cannotOpen(format, ret); // FFmpeg has freed the context
        ret = avformat_find_stream_info(container, (PointerPointer<?>) null);
        if (ret < 0) {
            avformat_close_input(container);
            throw FfmpegFailures.cannotOpen(format, ret);
        }
        return container;
    }

    /** FFmpeg's choice of audio stream; every other stream's packets are dropped by the demuxer unread. */
    private static int audioStream(AVFormatContext container, String format) throws AudioDecodeException {
        int index = av_find_best_stream(container, AVMEDIA_TYPE_AUDIO, -1, -1, (PointerPointer<?>) null, 0);
        boolean video = false;
        for (int i = 0; i < container.nb_streams(); i++) {
            video |= container.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO;
            if (i != index) container.streams(i).discard(AVDISCARD_ALL);
        }
        if (index < 0) throw FfmpegFailures.noAudioStream(format, video);
        return index;
    }

    /**
     * Decodes every audio frame to mono 16-bit at {@code sampleRate}, in order, until the end of
     * what can be read: a read error ends the file, as for FFmpeg's command line.
     */
    void decode(int sampleRate, FrameConsumer consumer) throws AudioDecodeException {
        AVPacket packet = av_packet_alloc();
        if (packet == null || packet.isNull()) throw FfmpegFailures.cannotDecode(probe.format(), AVERROR_ENOMEM());
        try (FfmpegResampler resampler = new FfmpegResampler(sampleRate, probe.format())) {
            FfmpegResampler.SampleHandler deliver = samples -> consumer.accept(samples, fraction);
            FfmpegStreamDecoder.FrameHandler onFrame = frame -> {
                fraction = Math.max(fraction, fraction(frame));
                resampler.convert(frame, deliver);
            };
            int index = stream.index();
            while (av_read_frame(container, packet) >= 0) {
                try {
                    if (packet.stream_index() == index) decoder.decode(packet, onFrame);
                } finally {
                    av_packet_unref(packet);
                }
            }
            decoder.decode(null, onFrame);
            resampler.flush(deliver);
        } finally {
            av_packet_free(packet);
        }
    }

    /** From the frame's time against the duration when both are known, else from the bytes read. */
    private double fraction(AVFrame frame) {
        long pts = frame.best_effort_timestamp();
        if (pts != AV_NOPTS_VALUE && durationMicros > 0) {
            AVRational tb = stream.time_base();
            long elapsed = (long) (pts * 1e6 * tb.num() / tb.den()) - startMicros;
            if (elapsed >= -1_000_000 && elapsed <= 2 * durationMicros) return clamp(elapsed / (double) durationMicros);
        }
        AVIOContext pb = container.pb();
        if (pb == null || pb.isNull()) return 0;
        long size = avio_size(pb);
        return size > 0 ? clamp(avio_tell(pb) / (double) size) : 0;
    }

    private static double clamp(double f) {
        return Double.isNaN(f) ? 0 : Math.max(0, Math.min(1, f));
    }

    @Override
    public void close() {
        decoder.close();
        avformat_close_input(container);
    }

    private static long streamDuration(AVStream st) {
        if (st.duration() == AV_NOPTS_VALUE || st.duration() <= 0) return 0;
        return st.duration() * AV_TIME_BASE * st.time_base().num() / st.time_base().den();
    }
}
