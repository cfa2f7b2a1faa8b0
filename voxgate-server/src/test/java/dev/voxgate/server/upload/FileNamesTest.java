package dev.voxgate.server.upload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileNamesTest {
    @Test
    void keepsOnlyTheLastPathSegment() {
        assertThat(FileNames.displayName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.displayName("C:\\Users\\ana\\talk.mp3")).isEqualTo("talk.mp3");
        assertThat(FileNames.displayName("/abs/path/a.wav")).isEqualTo("a.wav");
    }

    @Test
    void keepsUnicodeButDropsControlAndBidiCharacters() {
        assertThat(FileNames.displayName("réunion 会议 🎙.m4a")).isEqualTo("réunion 会议 🎙.m4a");
        assertThat(FileNames.displayName("invoice\u202Egpj.mp3")).isEqualTo("invoicegpj.mp3");
        assertThat(FileNames.displayName("a\u0000b\nc.ogg")).isEqualTo("abc.ogg");
    }

    @Test
    void somethingIsAlwaysLeftToShow() {
        assertThat(FileNames.displayName(null)).isEqualTo("upload");
        assertThat(FileNames.displayName("..")).isEqualTo("upload");
        assertThat(FileNames.displayName("dir/")).isEqualTo("upload");
        assertThat(FileNames.displayName("x".repeat(500))).hasSize(200);
        assertThat(FileNames.displayName("🎙".repeat(300))
                .codePointCount(0, FileNames.displayName("🎙".repeat(300)).length())).isEqualTo(200);
    }
}
