package dev.voxgate.audio.ffmpeg;

import java.util.Locale;
import java.util.Set;

/** FFmpeg's demuxer and codec names mapped onto the format names of {@link dev.voxgate.audio.decode.AudioProbe}. */
final class FfmpegFormats {
    /**
     * Demuxers that read other files or URLs named inside the input (playlists, concatenation
     * lists, session descriptions): an upload must never make the server open those.
     */
    private static final Set<String> REFERENCING = Set.of("hls", "applehttp", "concat", "dash", "imf", "sdp", "rtsp",
            "rtp", "webm_dash_manifest", "ffmetadata", "image2", "tee", "data", "bin", "libsrt");

    /** Demuxers for text: subtitles, ANSI art, metadata. */
    private static final Set<String> TEXT = Set.of("tty", "srt", "ass", "webvtt", "subviewer", "subviewer1", "lrc",
            "mpl2", "jacosub", "microdvd", "mpsub", "pjs", "realtext", "sami", "stl", "vplayer", "aqtitle",
            "scc", "sup", "pgssub", "dvbsub", "dvbtxt", "vobsub", "txt");

    /** Still-image demuxers. */
    private static final Set<String> IMAGES = Set.of("gif", "apng", "webp", "png", "jpeg", "bmp", "tiff", "psd", "svg",
            "ico", "pgm", "ppm", "pam", "pbm", "pcx", "sgi", "xbm", "xpm", "xwd", "dds", "exr", "hdr", "qoi", "jpegls",
            "j2k", "jpegxl", "photocd", "pictor", "sunrast", "vbn", "dpx", "cri", "gem", "pfm", "phm", "alias_pix",
            "brender_pix", "fits");

    private FfmpegFormats() {
    }

    /** The first of FFmpeg's comma-separated demuxer names: {@code mov} for {@code mov,mp4,m4a,3gp,3g2,mj2}. */
    static String firstName(String demuxer) {
        int comma = demuxer.indexOf(',');
        return (comma < 0 ? demuxer : demuxer.substring(0, comma)).toLowerCase(Locale.ROOT);
    }

    /**
     * The normalised format: {@code mp3, wav, m4a, flac, ogg, opus, webm} for the common files,
     * else the demuxer's first name.
     *
     * @param demuxer FFmpeg's input format name, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
     * @param codec   FFmpeg's codec name of the audio stream, e.g. {@code opus}
     */
    static String normalise(String demuxer, String codec) {
        String first = firstName(demuxer);
        String c = codec == null ? "" : codec.toLowerCase(Locale.ROOT);
        return switch (first) {
            case "mov", "mp4", "m4a", "ipod" -> "m4a";
            case "matroska", "webm" -> "webm";
            case "ogg" -> c.equals("opus") ? "opus" : "ogg";
            case "mp3" -> c.equals("mp2") || c.equals("mp1") ? c : "mp3";
            case "wav", "rf64" -> "wav";
            default -> first;
        };
    }

    /**
     * Why a demuxer is refused before it opens the file, or null when it may be opened: playlists
     * and other formats that open further files, text, and images.
     */
    static String refusal(String demuxer) {
        String first = firstName(demuxer);
        if (REFERENCING.contains(first)) {
            return "it is a playlist or list of other files (" + first + "), not audio itself: send the audio file";
        }
        if (TEXT.contains(first)) return "it is text (" + first + "), not audio";
        if (IMAGES.contains(first) || first.endsWith("_pipe")) {
            return "it is an image (" + first.replace("_pipe", "") + "), not audio";
        }
        return null;
    }
}
