package dev.voxgate.audio.ffmpeg;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** FFmpeg's names to Voxgate's: no natives needed. */
@Timeout(30)
class FfmpegFormatsTest {

    @Test
    void commonContainersGetTheirAllowListNames() {
        assertThat(FfmpegFormats.normalise("mov,mp4,m4a,3gp,3g2,mj2", "aac")).isEqualTo("m4a");
        assertThat(FfmpegFormats.normalise("mov,mp4,m4a,3gp,3g2,mj2", "alac")).isEqualTo("m4a");
        assertThat(FfmpegFormats.normalise("matroska,webm", "opus")).isEqualTo("webm");
        assertThat(FfmpegFormats.normalise("matroska,webm", "vorbis")).isEqualTo("webm");
        assertThat(FfmpegFormats.normalise("ogg", "opus")).isEqualTo("opus");
        assertThat(FfmpegFormats.normalise("ogg", "vorbis")).isEqualTo("ogg");
        assertThat(FfmpegFormats.normalise("ogg", "flac")).isEqualTo("ogg");
        assertThat(FfmpegFormats.normalise("mp3", "mp3")).isEqualTo("mp3");
        assertThat(FfmpegFormats.normalise("flac", "flac")).isEqualTo("flac");
        assertThat(FfmpegFormats.normalise("wav", "pcm_s16le")).isEqualTo("wav");
        assertThat(FfmpegFormats.normalise("wav", "adpcm_ms")).isEqualTo("wav");
    }

    @Test
    void mpegLayersOneAndTwoAreNotCalledMp3() {
        assertThat(FfmpegFormats.normalise("mp3", "mp2")).isEqualTo("mp2");
    }

    @Test
    void otherContainersKeepFfmpegsFirstName() {
        assertThat(FfmpegFormats.normalise("aiff", "pcm_s16be")).isEqualTo("aiff");
        assertThat(FfmpegFormats.normalise("aac", "aac")).isEqualTo("aac");
        assertThat(FfmpegFormats.normalise("asf", "wmav2")).isEqualTo("asf");
        assertThat(FfmpegFormats.normalise("mov,mp4,m4a,3gp,3g2,mj2", null)).isEqualTo("m4a");
    }

    @Test
    void playlistsTextAndImagesAreRefused() {
        assertThat(FfmpegFormats.refusal("hls")).contains("playlist");
        assertThat(FfmpegFormats.refusal("concat")).contains("list of other files");
        assertThat(FfmpegFormats.refusal("tty")).contains("text");
        assertThat(FfmpegFormats.refusal("srt")).contains("text");
        assertThat(FfmpegFormats.refusal("png_pipe")).isEqualTo("it is an image (png), not audio");
        assertThat(FfmpegFormats.refusal("gif")).contains("image");
    }

    @Test
    void audioAndVideoContainersAreOpened() {
        for (String d : new String[] {"mp3", "wav", "flac", "ogg", "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "aiff",
                "avi", "mpegts"}) {
            assertThat(FfmpegFormats.refusal(d)).as(d).isNull();
        }
    }
}
