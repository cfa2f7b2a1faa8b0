package dev.voxgate.server.upload;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import java.text.Normalizer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of {@link FileNames#displayName}: whatever file name a client sends, what is shown and
 * stored is one clean segment (no separators, controls or bidi controls), at most 200 characters, never empty, and
 * cleaning it again changes nothing. docs/testing.md, "Fuzzing".
 */
@Timeout(120)
class FileNamesFuzzTest {
    @FuzzTest(maxDuration = "10s")
    @Timeout(5)
    void displayNameIsAlwaysSafeToShow(FuzzedDataProvider data) {
        String submitted = data.consumeBoolean() ? null : data.consumeRemainingAsString();
        String shown = FileNames.displayName(submitted);
        assertSafeDisplayName(shown);
        assertThat(FileNames.displayName(shown)).as("cleaning twice").isEqualTo(shown);
    }

    /** What {@link FileNames#displayName} promises, for any name it returns. */
    static void assertSafeDisplayName(String shown) {
        assertThat(shown).isNotEmpty().isNotIn(".", "..").doesNotContain("/", "\\").isEqualTo(shown.strip());
        assertThat(shown.codePointCount(0, shown.length())).isLessThanOrEqualTo(200);
        assertThat(Normalizer.isNormalized(shown, Normalizer.Form.NFC)).as("NFC: %s", shown).isTrue();
        shown.codePoints().forEach(cp -> {
            assertThat(Character.isISOControl(cp)).as("control U+%04X in %s", cp, shown).isFalse();
            assertThat(isBidiControl(cp)).as("bidi control U+%04X in %s", cp, shown).isFalse();
            assertThat(cp).as("byte order mark in %s", shown).isNotEqualTo(0xFEFF);
            assertThat(Character.isSurrogate((char) cp) && cp <= 0xFFFF).as("lone surrogate in %s", shown).isFalse();
        });
    }

    /** Unicode's Bidi_Control property (PropList.txt): the characters that reorder the text around them. */
    private static boolean isBidiControl(int cp) {
        return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069);
    }
}
