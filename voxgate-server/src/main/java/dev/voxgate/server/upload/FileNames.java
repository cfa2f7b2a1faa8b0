package dev.voxgate.server.upload;

import java.text.Normalizer;

/** Client-supplied file names, made safe to show and to store as text. They are never paths. */
public final class FileNames {
    private static final int MAX_CHARS = 200;

    private FileNames() {
    }

    /**
     * The last path segment of what the client sent (browsers and curl may send {@code C:\a\b.mp3}
     * or {@code ../../x}), without control or bidi-override characters, at most 200 characters;
     * {@code "upload"} when nothing usable is left. Other Unicode is kept.
     */
    public static String displayName(String submitted) {
        if (submitted == null) return "upload";
        String name = Normalizer.normalize(submitted, Normalizer.Form.NFC);
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(cut + 1);
        StringBuilder sb = new StringBuilder();
        name.codePoints().filter(cp -> !Character.isISOControl(cp) && !isBidiControl(cp) && cp != 0xFEFF)
                .forEach(sb::appendCodePoint);
        name = sb.toString().strip();
        if (name.equals(".") || name.equals("..")) name = "";
        if (name.codePointCount(0, name.length()) > MAX_CHARS) {
            name = name.substring(0, name.offsetByCodePoints(0, MAX_CHARS));
        }
        return name.isEmpty() ? "upload" : name;
    }

    private static boolean isBidiControl(int cp) {
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F;
    }
}
