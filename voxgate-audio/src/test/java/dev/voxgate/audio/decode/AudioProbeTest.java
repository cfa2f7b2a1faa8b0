package dev.voxgate.audio.decode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.OptionalDouble;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class AudioProbeTest {
    private static final Set<String> ALLOWED = AudioProbe.COMMON_FORMATS;

    private static AudioProbe probe(String format, String codec) {
        return new AudioProbe(format, "demuxer", codec, OptionalDouble.of(1.5), 48_000, 2);
    }

    @Test
    void commonFormatsMatchTheUsualAllowList() {
        for (String f : ALLOWED) assertThat(probe(f, "x").matchesAny(ALLOWED)).as(f).isTrue();
    }

    @Test
    void opusInOggIsAllowedAsOpusOrAsOgg() {
        AudioProbe opus = probe("opus", "opus");
        assertThat(opus.names()).containsExactlyInAnyOrder("opus", "ogg");
        assertThat(opus.matchesAny(Set.of("ogg"))).isTrue();
        assertThat(opus.matchesAny(Set.of("opus"))).isTrue();
        assertThat(opus.matchesAny(Set.of("mp3", "wav"))).isFalse();
    }

    @Test
    void vorbisInOggIsNotAllowedAsOpus() {
        assertThat(probe("ogg", "vorbis").matchesAny(Set.of("opus"))).isFalse();
    }

    @Test
    void allowListNamesIgnoreCaseSpacesAndALeadingDot() {
        assertThat(probe("mp3", "mp3").matchesAny(Set.of(" .MP3 "))).isTrue();
        assertThat(probe("M4A", "aac").format()).isEqualTo("m4a");
        assertThat(probe("m4a", "aac").matchesAny(Set.of("MP4"))).isTrue();
    }

    @Test
    void formatsOutsideTheListAreRefused() {
        AudioProbe aiff = probe("aiff", "pcm_s16be");
        assertThat(aiff.matchesAny(ALLOWED)).isFalse();
        assertThat(aiff.matchesAny(Set.of())).isFalse();
        assertThat(aiff.names()).containsExactly("aiff");
    }
}
