package dev.voxgate.server.upload;

import java.text.Normalizer;

/** Client-supplied file names, made safe to show and to store as text. They are never paths. */
public final class FileNames {
    private static final int MAX_CHARS = 200;

    private FileNames() {
    }

    /**
     * The last path segment of what the client sent (browsers and curl may send {@code C:\a\b.mp3}
     * or {@code ../../x}), without control or bidi control characters, in Unicode NFC, at most 200
     * characters, without surrounding white space; {@code "upload"} when nothing usable is left.
     * Other Unicode is kept. Cleaning a cleaned name changes nothing.
     */
    public static String displayName(String submitted) {
        if (submitted == null) return "upload";
        int cut = Math.max(submitted.lastIndexOf('/'), submitted.lastIndexOf('\\'));
        StringBuilder sb = new StringBuilder();
        submitted.substring(cut + 1).codePoints()
                .filter(cp -> !Character.isISOControl(cp) && !isBidiControl(cp) && cp != 0xFEFF)
                .forEach(sb::appendCodePoint);
        // Normalised only once the controls are gone: one between a letter and its accent kept them apart.
        String name = Normalizer.normalize(sb, Normalizer.Form.NFC).strip();
        if (name.codePointCount(0, name.length()) > MAX_CHARS) {
            name = name.substring(0, name.offsetByCodePoints(0, MAX_CHARS)).strip(); // the cut may end in a space
        }
        if (name.equals(".") || name.equals("..")) name = "";
        return name.isEmpty() ? "upload" : name;
    }

    /** Unicode's Bidi_Control characters (marks, embeddings, overrides, isolates). */
    private static boolean isBidiControl(int cp) {
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F
                || cp == 0x061C;
    }
}
