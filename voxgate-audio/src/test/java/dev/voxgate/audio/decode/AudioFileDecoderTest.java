package dev.voxgate.audio.decode;

import dev.voxgate.audio.PcmAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class AudioFileDecoderTest {

    /** Emits {@code total} samples counting up from 0, in chunks of {@code chunk}. */
    private record ScriptedDecoder(int total, int chunk) implements AudioFileDecoder {
        @Override
        public String id() {
            return "scripted";
        }

        @Override
        public AudioProbe probe(Path file) {
            return new AudioProbe("wav", "wav", "pcm_s16le", OptionalDouble.of(total / 16_000.0), 16_000, 1);
        }

        @Override
        public void decode(Path file, int targetSampleRate, PcmSink sink) throws AudioDecodeException {
            if (total < 0) throw new CorruptAudioFileException("the file is damaged");
            sink.started(probe(file));
            for (int pos = 0; pos < total; pos += chunk) {
                short[] s = new short[Math.min(chunk, total - pos)];
                for (int i = 0; i < s.length; i++) s[i] = (short) (pos + i);
                sink.accept(new PcmChunk(targetSampleRate, pos, s));
                sink.progress((pos + s.length) / (double) total);
            }
        }
    }

    @Test
    void decodeAllJoinsTheChunksInOrder() throws Exception {
        PcmAudio audio = new ScriptedDecoder(500_001, 4000).decodeAll(Path.of("x"), 16_000);
        assertThat(audio.sampleRate()).isEqualTo(16_000);
        assertThat(audio.samples()).hasSize(500_001);
        for (int i = 0; i < audio.samples().length; i++) {
            if (audio.samples()[i] != (short) i) throw new AssertionError("sample " + i + " is " + audio.samples()[i]);
        }
    }

    @Test
    void decodeAllOfNothingIsEmptyAudio() throws Exception {
        assertThat(new ScriptedDecoder(0, 10).decodeAll(Path.of("x"), 8000).samples()).isEmpty();
    }

    @Test
    void decodeAllPassesFailuresOnWithTheirReason() {
        assertThatThrownBy(() -> new ScriptedDecoder(-1, 10).decodeAll(Path.of("x"), 8000))
                .isInstanceOfSatisfying(AudioDecodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AudioDecodeException.Reason.CORRUPT);
                    assertThat(e.reason().code()).isEqualTo("corrupt_file");
                    assertThat(e.reason().fileProblem()).isTrue();
                });
    }

    @Test
    void everyReasonHasItsOwnExceptionType() {
        List<AudioDecodeException> all = List.of(new EmptyAudioFileException("m"), new NotAudioException("m"),
                new UnsupportedCodecException("m"), new NoAudioStreamException("m"), new CorruptAudioFileException("m"),
                new AudioFileUnreadableException("m"), new AudioDecoderUnavailableException("m"));
        List<AudioDecodeException.Reason> reasons = new ArrayList<>();
        for (AudioDecodeException e : all) {
            String code = switch (e) { // exhaustive: a new subtype must be handled here
                case EmptyAudioFileException x -> "empty_file";
                case NotAudioException x -> "not_audio";
                case UnsupportedCodecException x -> "unsupported_codec";
                case NoAudioStreamException x -> "no_audio_stream";
                case CorruptAudioFileException x -> "corrupt_file";
                case AudioFileUnreadableException x -> "unreadable_file";
                case AudioDecoderUnavailableException x -> "decoder_unavailable";
            };
            assertThat(e.reason().code()).isEqualTo(code);
            reasons.add(e.reason());
        }
        assertThat(reasons).containsExactlyInAnyOrder(AudioDecodeException.Reason.values());
    }

    @Test
    void chunkTimesFollowFromTheSampleIndex() {
        PcmChunk c = new PcmChunk(16_000, 8000, new short[4000]);
        assertThat(c.startSeconds()).isEqualTo(0.5);
        assertThat(c.seconds()).isEqualTo(0.25);
        assertThat(c.endSample()).isEqualTo(12_000);
        assertThat(c.toAudioChunk().samples()).isEqualTo(4000);
    }

    @Test
    void noDecoderIsInstalledInThisModule() {
        assertThat(AudioFileDecoder.installed()).isEmpty();
    }
}
