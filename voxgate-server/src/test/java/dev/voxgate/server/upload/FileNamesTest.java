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

    /** Fuzzing found it (FileNamesFuzzTestInputs/.../control-between-letter-and-accent): the name was not NFC. */
    @Test
    void aControlBetweenALetterAndItsAccentDoesNotKeepThemApart() {
        assertThat(FileNames.displayName("i\u0000\u0300.wav")).isEqualTo("\u00ec.wav");
    }

    /** Fuzzing found it (FileNamesFuzzTestInputs/.../arabic-letter-mark): U+061C is a bidi control too. */
    @Test
    void theArabicLetterMarkIsDroppedWithTheOtherBidiControls() {
        assertThat(FileNames.displayName("a\u061Cb\u200Fc.wav")).isEqualTo("abc.wav");
    }

    /** Fuzzing found it (FileNamesFuzzTestInputs/.../space-at-the-200-character-cut): cleaning twice differed. */
    @Test
    void aNameCutAtTwoHundredCharactersEndsWithoutASpace() {
        String shown = FileNames.displayName("x".repeat(199) + " yz.wav");
        assertThat(shown).isEqualTo("x".repeat(199));
        assertThat(FileNames.displayName(shown)).isEqualTo(shown);
        assertThat(FileNames.displayName("." + " ".repeat(199) + "x")).isEqualTo("upload");
    }
}
