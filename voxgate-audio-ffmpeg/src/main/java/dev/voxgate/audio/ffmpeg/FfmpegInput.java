package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioFileUnreadableException;
import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.decode.CorruptAudioFileException;
import dev.voxgate.audio.decode.EmptyAudioFileException;
import dev.voxgate.audio.decode.NoAudioStreamException;
import dev.voxgate.audio.decode.NotAudioException;
import dev.voxgate.audio.decode.UnsupportedCodecException;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalDouble;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_READ;
import static org.bytedeco.ffmpeg.global.avformat.av_probe_input_buffer2;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avformat.avio_size;
import static org.bytedeco.ffmpeg.global.avformat.avio_tell;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/**
 * One file opened with FFmpeg: checked, probed by content, and ready to decode. Closing releases
 * the native contexts. Not thread-safe: one thread uses it from open to close.
 */
final class FfmpegInput implements AutoCloseable {
    /** How much of the file FFmpeg may read to recognise the format (its own maximum, 1 MiB). */
    private static final int PROBE_BYTES = 1 << 20;

    /** Receives each decoded frame: samples valid only during the call, and the fraction of the file read. */
    interface FrameConsumer {
        void accept(ShortBuffer samples, double fraction);
    }

    private final FFmpegFrameGrabber grabber;
    private final AudioProbe probe;
    private final long startMicros;
    private final long durationMicros;

    private FfmpegInput(FFmpegFrameGrabber grabber, AudioProbe probe, long startMicros, long durationMicros) {
        this.grabber = grabber;
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
        if (Files.exists(path) && !Files.isReadable(path)) throw new AudioFileUnreadableException("The file cannot be read (no permission).");
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new AudioFileUnreadableException("The file does not exist.", e);
        } catch (AccessDeniedException e) {
            throw new AudioFileUnreadableException("The file cannot be read (no permission).", e);
        } catch (IOException e) { // the JDK's messages name the path: keep it out of what users see
            throw new AudioFileUnreadableException("The file cannot be read (" + e.getClass().getSimpleName() + ").", e);
        }
        if (size == 0) throw new EmptyAudioFileException("The file is empty (0 bytes).");
        FfmpegNatives.load();

        String url = "file:" + path; // the file protocol only: no other protocol's syntax in a path applies
        String demuxer = probeFormat(url);
        String refusal = FfmpegFormats.refusal(demuxer);
        if (refusal != null) throw new NotAudioException("This is not an audio file: " + refusal + ".");

        FFmpegFrameGrabber g = new FFmpegFrameGrabber(url);
        g.setFormat(FfmpegFormats.firstName(demuxer)); // what the content says, whatever the name
        g.setOption("protocol_whitelist", "file");
        g.setAudioOption("threads", "1");               // decode on the calling thread, no codec worker threads
        g.setVideoStream(Integer.MAX_VALUE);           // no video stream matches: video is never decoded
        boolean ok = false;
        try {
            try {
                g.start();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw classifyOpenFailure(g, demuxer, e);
            }
            AVFormatContext oc = g.getFormatContext();
            AVStream st = oc.streams(g.getAudioStream());
            AVCodecParameters par = st.codecpar();
            String codec = avcodec_get_name(par.codec_id()).getString();
            long start = oc.start_time() != AV_NOPTS_VALUE ? oc.start_time() : 0;
            long duration = oc.duration() != AV_NOPTS_VALUE && oc.duration() > 0 ? oc.duration() : streamDuration(st);
            OptionalDouble seconds = duration > 0 ? OptionalDouble.of(duration / (double) AV_TIME_BASE) : OptionalDouble.empty();
            AudioProbe probe = new AudioProbe(FfmpegFormats.normalise(demuxer, codec), demuxer, codec, seconds,
                    par.sample_rate(), par.ch_layout().nb_channels());
            if (probe.sampleRate() <= 0 || probe.channels() <= 0) {
                throw new CorruptAudioFileException("The " + probe.format() + " file's audio stream has no valid sample rate or "
                        + "channel count: the file is damaged or was cut short.");
            }
            ok = true;
            return new FfmpegInput(g, probe, start, duration);
        } finally {
            if (!ok) release(g);
        }
    }

    /** Decodes every audio frame to mono 16-bit at {@code sampleRate}, in order, until the end of what can be read. */
    void decode(int sampleRate, FrameConsumer consumer) throws AudioDecodeException {
        grabber.setSampleRate(sampleRate);      // set after start(): FFmpeg's resampler converts, the demuxer never sees it
        grabber.setAudioChannels(1);
        grabber.setSampleFormat(AV_SAMPLE_FMT_S16);
        double fraction = 0;
        while (true) {
            Frame frame;
            try {
                frame = grabber.grabSamples();
            } catch (FrameGrabber.Exception e) {
                throw new CorruptAudioFileException("The " + probe.format() + " file could not be decoded ("
                        + detail(e) + "): it is damaged. Export the recording again.", e);
            }
            if (frame == null) return;
            if (frame.samples == null || frame.samples.length == 0) continue;
            fraction = Math.max(fraction, fraction(frame.timestamp));
            consumer.accept((ShortBuffer) frame.samples[0], fraction);
        }
    }

    /** From the frame's time against the duration when both are known, else from the bytes read. */
    private double fraction(long timestampMicros) {
        long elapsed = timestampMicros - startMicros; // a frame without a time stamp gives nonsense here
        if (durationMicros > 0 && elapsed >= -1_000_000 && elapsed <= 2 * durationMicros) return clamp(elapsed / (double) durationMicros);
        AVIOContext pb = grabber.getFormatContext().pb();
        if (pb == null || pb.isNull()) return 0;
        long size = avio_size(pb);
        return size > 0 ? clamp(avio_tell(pb) / (double) size) : 0;
    }

    private static double clamp(double f) {
        return Double.isNaN(f) ? 0 : Math.max(0, Math.min(1, f));
    }

    @Override
    public void close() {
        release(grabber);
    }

    private static void release(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (Exception ignored) {
            // Releasing native contexts; nothing useful to do about a failure here.
        }
    }

    /**
     * FFmpeg's own probe (the same as avformat_open_input's) over the first bytes, with no file
     * name, so only the content counts.
     *
     * @return the demuxer's name, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
     */
    private static String probeFormat(String url) throws AudioDecodeException {
        AVIOContext pb = new AVIOContext(null);
        int ret = avio_open(pb, url, AVIO_FLAG_READ);
        if (ret < 0) throw new AudioFileUnreadableException("The file cannot be read: " + error(ret) + ".");
        try {
            AVInputFormat fmt = new AVInputFormat(null);
            ret = av_probe_input_buffer2(pb, fmt, "", null, 0, PROBE_BYTES);
            if (ret < 0 || fmt.isNull()) {
                if (ret == AVERROR_INVALIDDATA() || ret == AVERROR_EOF() || ret >= 0) {
                    throw new NotAudioException("This is not an audio file: its content matches no audio or video format "
                            + "(is it a text or other document with an audio file's name?).");
                }
                throw new AudioFileUnreadableException("The file cannot be read: " + error(ret) + ".");
            }
            return fmt.name().getString();
        } finally {
            avio_closep(pb);
        }
    }

    /** Turns a failed {@code start()} into the reason: no audio stream, unknown codec, or damage. */
    private static AudioDecodeException classifyOpenFailure(FFmpegFrameGrabber g, String demuxer, Exception e) {
        String format = FfmpegFormats.normalise(demuxer, null);
        AVFormatContext oc = g.getFormatContext();
        boolean anyAudio = false, anyVideo = false;
        String audioCodec = null;
        if (oc != null && !oc.isNull()) {
            for (int i = 0; i < oc.nb_streams(); i++) {
                AVCodecParameters par = oc.streams(i).codecpar();
                if (par.codec_type() == AVMEDIA_TYPE_AUDIO) {
                    anyAudio = true;
                    if (audioCodec == null) audioCodec = avcodec_get_name(par.codec_id()).getString();
                    if (avcodec_find_decoder(par.codec_id()) == null) {
                        return new UnsupportedCodecException("The " + format + " file's audio uses a codec ("
                                + avcodec_get_name(par.codec_id()).getString() + ") this server cannot decode: "
                                + "convert it to mp3, flac or wav.", e);
                    }
                } else if (par.codec_type() == AVMEDIA_TYPE_VIDEO) {
                    anyVideo = true;
                }
            }
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("Did not find a video or audio stream") && !anyAudio) {
            return new NoAudioStreamException("The " + format + " file has no audio stream"
                    + (anyVideo ? " (it holds video only)" : "") + ": there is nothing to transcribe.", e);
        }
        if (message.contains("avcodec_find_decoder()")) {
            return new UnsupportedCodecException("The " + format + " file's audio uses a codec"
                    + (audioCodec == null ? "" : " (" + audioCodec + ")") + " this server cannot decode: convert it to mp3, flac or wav.", e);
        }
        return new CorruptAudioFileException("The file is recognised as " + format + " but cannot be opened: it is damaged "
                + "or was cut short (" + detail(e) + "). Check that the upload completed, or export the recording again.", e);
    }

    private static long streamDuration(AVStream st) {
        if (st.duration() == AV_NOPTS_VALUE || st.duration() <= 0) return 0;
        return st.duration() * AV_TIME_BASE * st.time_base().num() / st.time_base().den();
    }

    private static final java.util.regex.Pattern ERROR_CODE = java.util.regex.Pattern.compile("error (-\\d+)");

    /**
     * What went wrong in FFmpeg's words ("Invalid data found when processing input"), from the
     * error code in JavaCV's message. The message itself is never passed on: it quotes the file's path.
     */
    private static String detail(Exception e) {
        java.util.regex.Matcher m = ERROR_CODE.matcher(String.valueOf(e.getMessage()));
        if (m.find()) {
            try {
                return "FFmpeg: " + error(Integer.parseInt(m.group(1)));
            } catch (NumberFormatException ignored) {
                // not an int: fall through
            }
        }
        return "FFmpeg could not read it";
    }

    private static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
