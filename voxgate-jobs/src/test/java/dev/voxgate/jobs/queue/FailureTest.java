package dev.voxgate.jobs.queue;

import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.UnsupportedAudioException;
import dev.voxgate.audio.decode.AudioDecoderUnavailableException;
import dev.voxgate.audio.decode.NotAudioException;
import dev.voxgate.jobs.PermanentFailureException;
import dev.voxgate.jobs.TransientFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class FailureTest {

    @Test
    void theFilesFaultIsPermanent() {
        assertThat(Failure.classify(new NotAudioException("this is not audio: a text file")))
                .isEqualTo(new Failure(true, "not_audio", "this is not audio: a text file"));
        assertThat(Failure.classify(new UnsupportedAudioException("language xx is not supported")).permanent())
                .isTrue();
        assertThat(Failure.classify(new PermanentFailureException("truncated_file", "the file is cut short")))
                .isEqualTo(new Failure(true, "truncated_file", "the file is cut short"));
    }

    @Test
    void aWrappedDecodeErrorIsStillRecognised() {
        Failure f = Failure.classify(new UncheckedIOException(new NotAudioException("not audio")));
        assertThat(f.permanent()).isTrue();
        assertThat(f.code()).isEqualTo("not_audio");
    }

    @Test
    void theMachinesFaultIsTransient() {
        assertThat(Failure.classify(new AudioDecoderUnavailableException("FFmpeg did not load")).permanent()).isFalse();
        assertThat(Failure.classify(new EngineUnavailableException("model still loading")))
                .isEqualTo(new Failure(false, "engine_unavailable", "model still loading"));
        assertThat(Failure.classify(new IOException("disk full")).code()).isEqualTo("io_error");
        String why = "FFmpeg did not load on this node";
        assertThat(Failure.classify(new TransientFailureException("decoder_unavailable", why, null)))
                .as("a transient failure keeps the catalogue's code")
                .isEqualTo(new Failure(false, "decoder_unavailable", why));
        assertThat(Failure.classify(new IllegalStateException()).code()).isEqualTo("internal_error");
    }
}
