package dev.voxgate.engine.aws;

import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import software.amazon.awssdk.services.transcribestreaming.model.Alternative;
import software.amazon.awssdk.services.transcribestreaming.model.Item;
import software.amazon.awssdk.services.transcribestreaming.model.ItemType;
import software.amazon.awssdk.services.transcribestreaming.model.Result;
import software.amazon.awssdk.services.transcribestreaming.model.TranscriptEvent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Transcribe's results as Voxgate's partials and finals, for one stream; no I/O.
 *
 * <p>Transcribe sends, per utterance ({@code ResultId}), a run of results with {@code IsPartial=true} (the guess so
 * far, its stable start not changing with partial-results stabilisation) and then one with {@code IsPartial=false}: the
 * partials become {@link Recognized.Partial}, the last one {@link Recognized.Final} with the words of its
 * {@code pronunciation} items (times and confidence as Transcribe gives them; punctuation items carry no time of their
 * own and are in the text only). A second non-partial result for a {@code ResultId} already final is dropped, so each
 * span of audio is reported once, and a final with no text is not reported at all (the SPI's finals are never empty).
 */
final class AwsTranscribeCodec {
    /** What one result means for the listener. */
    sealed interface Recognized {
        record Partial(String text) implements Recognized {
        }

        record Final(Segment segment) implements Recognized {
        }
    }

    private final Set<String> finished = new HashSet<>();
    private double lastFinalStart;
    private String open; // the ResultId of partials not yet followed by its final

    /**
     * Whether partials arrived for an utterance whose final has not: Transcribe closes every {@code ResultId} with a
     * non-partial result before it ends a stream, so a stream that ends now ended early.
     */
    boolean utteranceOpen() {
        return open != null;
    }

    /** The partials and finals in {@code event}, in its order; nothing for results that add nothing. */
    List<Recognized> decode(TranscriptEvent event) {
        List<Recognized> out = new ArrayList<>();
        if (event.transcript() == null) return out;
        for (Result r : event.transcript().results()) {
            if (!r.hasAlternatives() || r.alternatives().isEmpty()) continue;
            Alternative best = r.alternatives().getFirst();
            String text = best.transcript() == null ? "" : best.transcript().strip();
            if (!Boolean.FALSE.equals(r.isPartial())) {
                if (r.resultId() != null && finished.contains(r.resultId())) continue; // a late partial of a final
                if (!text.isEmpty()) open = r.resultId() == null ? "" : r.resultId();
                out.add(new Recognized.Partial(text));
                continue;
            }
            if (r.resultId() != null && !finished.add(r.resultId())) continue;
            open = null;
            if (text.isEmpty()) continue;
            out.add(new Recognized.Final(segment(r, best, text)));
        }
        return out;
    }

    private Segment segment(Result r, Alternative best, String text) {
        List<Word> words = new ArrayList<>();
        for (Item item : best.items()) {
            if (item.type() != ItemType.PRONUNCIATION || item.content() == null || item.content().isBlank()) continue;
            double start = time(item.startTime()), end = Math.max(start, time(item.endTime()));
            double confidence = item.confidence() == null ? 1.0 : Math.clamp(item.confidence(), 0.0, 1.0);
            words.add(new Word(item.content().strip(), start, end, confidence));
        }
        double start = r.startTime() != null ? r.startTime() : words.isEmpty() ? 0 : words.getFirst().start();
        double end = r.endTime() != null ? r.endTime() : words.isEmpty() ? start : words.getLast().end();
        start = Math.max(start, lastFinalStart); // the SPI: a final does not start before the previous one
        end = Math.max(end, start);
        lastFinalStart = start;
        return new Segment(text, start, end, words);
    }

    private static double time(Double seconds) {
        return seconds == null ? 0 : Math.max(0, seconds);
    }
}
