package dev.voxgate.server.error;

/** What a client sent, quoted back in an error message. */
public final class ClientText {
    private ClientText() {
    }

    /**
     * {@code s} cut to at most {@code max} characters (code points, so a surrogate pair such as an emoji is never
     * split into a lone half that would reach the client as '?') with "…" to show the cut.
     */
    public static String clip(String s, int max) {
        if (s.length() <= max || s.codePointCount(0, s.length()) <= max) return s;
        return s.substring(0, s.offsetByCodePoints(0, max)) + "…";
    }
}
