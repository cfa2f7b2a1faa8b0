package dev.voxgate.testkit;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Word error rate with the evaluation set's "basic" normalisation (as {@code wer.py --normalize
 * basic}): NFKC, lower case, curly apostrophes straightened, everything but letters, digits and
 * apostrophes turned into spaces, apostrophes kept only inside words.
 */
public final class WordErrorRate {
    private WordErrorRate() {
    }

    public static List<String> normalize(String text) {
        String t = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFKC)
                .replace('\u2019', '\'').replace('\u2018', '\'').replace('\u02bc', '\'').replace('`', '\'')
                .toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(t.length());
        t.codePoints().forEach(cp -> sb.appendCodePoint(cp == '\'' || Character.isLetterOrDigit(cp) ? cp : ' '));
        List<String> words = new ArrayList<>();
        for (String tok : sb.toString().trim().split("\\s+")) {
            String w = tok.replaceAll("^'+|'+$", "");
            if (!w.isEmpty()) words.add(w);
        }
        return words;
    }

    /** Word-level edit distance between normalised reference and hypothesis. */
    public static int edits(String reference, String hypothesis) {
        List<String> r = normalize(reference), h = normalize(hypothesis);
        int[] prev = new int[h.size() + 1], cur = new int[h.size() + 1];
        for (int j = 0; j <= h.size(); j++) prev[j] = j;
        for (int i = 1; i <= r.size(); i++) {
            cur[0] = i;
            for (int j = 1; j <= h.size(); j++) {
                int sub = prev[j - 1] + (r.get(i - 1).equals(h.get(j - 1)) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] tmp = prev; prev = cur; cur = tmp;
        }
        return prev[h.size()];
    }

    /**
     * Corpus WER (total edits / total reference words) of hypotheses keyed by utterance id; a missing id counts as
     * empty.
     */
    public static double corpus(List<Utterance> utterances, Map<String, String> hypotheses) {
        long edits = 0, words = 0;
        for (Utterance u : utterances) {
            edits += edits(u.reference(), hypotheses.getOrDefault(u.id(), ""));
            words += normalize(u.reference()).size();
        }
        return words == 0 ? 0 : edits / (double) words;
    }

    /**
     * Corpus WER after {@link EnglishTextNormalizer} on both sides (as {@code wer.py --normalize
     * whisper}): counts recognition errors, not written-form differences such as "20" for "twenty".
     */
    public static double normalizedCorpus(List<Utterance> utterances, Map<String, String> hypotheses) {
        List<Utterance> refs = utterances.stream()
                .map(u -> new Utterance(u.id(), u.wav(), u.seconds(), EnglishTextNormalizer.normalize(u.reference())))
                .toList();
        Map<String, String> hyps = new HashMap<>();
        hypotheses.forEach((id, text) -> hyps.put(id, EnglishTextNormalizer.normalize(text)));
        return corpus(refs, hyps);
    }
}
