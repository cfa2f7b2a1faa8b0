package dev.voxgate.engine.twopass;

import dev.voxgate.api.Word;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Puts the first engine's word timings on the second engine's words when they line up: the same
 * number of words, most of them the same once case and punctuation are set aside. Otherwise there
 * are no word timings (the final keeps its segment times), because timings on the wrong words
 * would mislead a caption renderer more than none.
 */
final class WordAlignment {
    /** Share of words that must agree, so a substitution or two still keeps the timings. */
    static final double MIN_AGREEMENT = 0.6;

    private WordAlignment() {
    }

    static List<Word> align(String text, List<Word> timed) {
        String[] tokens = text.isBlank() ? new String[0] : text.strip().split("\\s+");
        if (tokens.length == 0 || tokens.length != timed.size()) return List.of();
        int same = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (bare(tokens[i]).equals(bare(timed.get(i).word()))) same++;
        }
        if (same < MIN_AGREEMENT * tokens.length) return List.of();
        List<Word> words = new ArrayList<>(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            Word t = timed.get(i);
            words.add(new Word(tokens[i], t.start(), t.end(), t.confidence()));
        }
        return words;
    }

    /** Lower case letters, digits and inner apostrophes only: "Country," and "country" agree. */
    static String bare(String word) {
        StringBuilder sb = new StringBuilder(word.length());
        word.toLowerCase(Locale.ROOT).codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp) || cp == '\'') sb.appendCodePoint(cp);
        });
        return sb.toString().replaceAll("^'+|'+$", "");
    }
}
