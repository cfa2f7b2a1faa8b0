package dev.voxgate.engine.whisper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class WhisperDecoderTest {

    @Test
    void resultsThatOnlyDescribeTheAudioAreNoSpeech() {
        assertThat(WhisperDecoder.clean(" [BLANK_AUDIO]")).isEmpty();
        assertThat(WhisperDecoder.clean("(upbeat music)")).isEmpty();
        assertThat(WhisperDecoder.clean(null)).isEmpty();
        assertThat(WhisperDecoder.clean(" And so my fellow Americans.")).isEqualTo("And so my fellow Americans.");
        assertThat(WhisperDecoder.clean("(Laughs) That was funny.")).isEqualTo("(Laughs) That was funny.");
    }

    @Test
    void thirtySecondsIsTheMostOneCallTakes() {
        assertThat(WhisperDecoder.MAX_SAMPLES).isEqualTo(480_000);
        assertThat(SegmenterConfig.defaults().maxSamples()).isLessThanOrEqualTo(WhisperDecoder.MAX_SAMPLES);
    }
}
