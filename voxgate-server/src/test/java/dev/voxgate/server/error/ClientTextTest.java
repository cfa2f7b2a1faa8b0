package dev.voxgate.server.error;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(5)
class ClientTextTest {
    @Test
    void shortTextIsKept() {
        assertThat(ClientText.clip("vosk", 40)).isEqualTo("vosk");
        assertThat(ClientText.clip("x".repeat(40), 40)).isEqualTo("x".repeat(40));
    }

    @Test
    void longTextIsCutWithAnEllipsis() {
        assertThat(ClientText.clip("x".repeat(41), 40)).isEqualTo("x".repeat(40) + "…");
    }

    /** Fuzzing found it (ListenParametersFuzzTestInputs/.../surrogate-pair-cut-in-message). */
    @Test
    void aSurrogatePairAtTheCutIsKeptWhole() {
        String emoji = "\uD83D\uDE00";
        String clipped = ClientText.clip("x".repeat(39) + emoji + "tail", 40);
        assertThat(clipped).isEqualTo("x".repeat(39) + emoji + "…");
        assertThat(ClientText.clip(emoji.repeat(40), 40)).isEqualTo(emoji.repeat(40));
    }
}
