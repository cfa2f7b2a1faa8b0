package dev.voxgate.server.guard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(5)
class AuditLogTest {
    @Test
    void pathsAreOneLineOfBoundedLength() {
        assertThat(AuditLog.clean("/v1/x\r\nkey=forged")).isEqualTo("/v1/x??key=forged");
        assertThat(AuditLog.clean("/" + "a".repeat(300))).hasSize(201).endsWith("…");
        assertThat(AuditLog.clean(null)).isEqualTo("-");
    }

    /** The cut that fuzzing found splitting a surrogate pair in ListenParameters, here too (ClientText.clip). */
    @Test
    void theCutNeverSplitsACharacter() {
        String emoji = "\uD83C\uDFB5";
        assertThat(AuditLog.clean("/" + "a".repeat(198) + emoji + "tail")).endsWith("a" + emoji + "…");
    }
}
