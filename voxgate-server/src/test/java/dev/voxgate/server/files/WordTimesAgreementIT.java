package dev.voxgate.server.files;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.Segment;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.Word;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.audio.transcribe.WordTimedEngine;
import dev.voxgate.engine.whisper.WhisperEngineProvider;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordTimeAgreement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whisper's words timed by Vosk ({@link WordTimedEngine}) against Vosk's own word times, from a
 * separate Vosk run over the same audio, on the words both engines recognise (matched in order by
 * their bare forms over the whole recording): the dev set clip by clip, and its first clips joined
 * into one recording of several Whisper segments. The words both recognise take Vosk's times by construction,
 * so that figure checks the alignment picks the right Vosk word; the error of the words only Whisper heard is
 * estimated by timing each matched word again without its Vosk word. The clips are a part of the set with every
 * source in it ({@link SpeechCorpus#spread}): the bounds are on the alignment, which a few hundred words exercise as
 * well as the whole set; what the word times cost in CPU is the benchmark's scenario G, not this test's.
 */
@Timeout(1800)
class WordTimesAgreementIT {
    private static final int JOINED_CLIPS = 8;
    private static final double GAP_SECONDS = 0.8;
    private static final double CLIP_SECONDS = 90;
    private static StreamingEngine whisper;

    @BeforeAll
    static void load() throws EngineException {
        whisper = (StreamingEngine) new WhisperEngineProvider().create(new EngineContext(Map.of(),
                TestEngines.cacheDir()));
    }

    @AfterAll
    static void close() {
        if (whisper != null) whisper.close();
    }

    private static List<Word> words(Transcript t) {
        return WordTimeAgreement.words(t.segments());
    }

    private static int tokens(Transcript t) {
        return t.segments().stream().mapToInt(s -> s.text().isBlank() ? 0 : s.text().split("\\s+").length).sum();
    }

    @Test
    void whispersWordTimesAgreeWithVosksOwnOnTheWordsBothRecognise() throws EngineException {
        StreamingEngine vosk = TestEngines.vosk();
        StreamingEngine timed = new WordTimedEngine(whisper, vosk);
        List<PcmAudio> audio = new ArrayList<>();
        for (Utterance u : Speech.corpus().spread(CLIP_SECONDS)) audio.add(Speech.audio(u));
        List<Utterance> first = Speech.corpus().first(JOINED_CLIPS);
        PcmAudio joined = SpeechCorpus.joined(first, GAP_SECONDS);
        List<Transcript> withTimes = new ArrayList<>();
        for (PcmAudio a : audio) withTimes.add(new OfflineTranscriber(timed).transcribe(a, "en"));
        withTimes.add(new OfflineTranscriber(timed).transcribe(joined, "en"));
        audio.add(joined);

        List<Double> diffs = new ArrayList<>();
        List<Double> unheard = new ArrayList<>();
        int whisperWords = 0;
        int timedWords = 0;
        int joinedSegments = withTimes.get(withTimes.size() - 1).segments().size();
        for (int i = 0; i < audio.size(); i++) {
            Transcript t = withTimes.get(i);
            whisperWords += tokens(t);
            timedWords += words(t).size();
            for (Segment s : t.segments()) {
                for (Word w : s.words()) {
                    assertThat(w.start()).isBetween(s.start(), s.end());
                    assertThat(w.end()).isBetween(s.start(), s.end());
                }
            }
            List<Word> voskOwn = words(new OfflineTranscriber(vosk).transcribe(audio.get(i), "en"));
            diffs.addAll(WordTimeAgreement.differences(words(t), voskOwn));
            unheard.addAll(WordTimeAgreement.leaveOneOut(t.segments(), voskOwn));
        }
        WordTimeAgreement.Summary both = WordTimeAgreement.Summary.of(diffs);
        double median = both.median();
        double p90 = both.p90();
        double within = both.within300ms();
        System.out.printf(Locale.ROOT, "[word-times] %s: %d Whisper words, %.1f%% timed; %d words both recognise: "
                + "|start difference| median %.3f s, p90 %.3f s, %.1f%% within 0.3 s (joined %d clips: %d segments)%n",
                Speech.corpus().source(), whisperWords, 100.0 * timedWords / whisperWords, both.count(), median, p90,
                100 * within, first.size(), joinedSegments);
        WordTimeAgreement.Summary notHeard = WordTimeAgreement.Summary.of(unheard);
        double uMedian = notHeard.median();
        double uWithin = notHeard.within300ms();
        System.out.printf(Locale.ROOT, "[word-times] %d words timed without their Vosk word (as an unheard word is):"
                + " |start difference| median %.3f s, p90 %.3f s, %.1f%% within 0.3 s%n", notHeard.count(), uMedian,
                notHeard.p90(), 100 * uWithin);

        assertThat(both.count()).as("words both engines recognise").isGreaterThan(whisperWords / 2);
        assertThat((double) timedWords / whisperWords).as("Whisper words with times").isGreaterThanOrEqualTo(0.9);
        assertThat(median).isLessThanOrEqualTo(0.1);
        assertThat(within).isGreaterThanOrEqualTo(0.8);
        assertThat(uMedian).as("words Vosk did not hear").isLessThanOrEqualTo(0.15);
        assertThat(uWithin).as("words Vosk did not hear").isGreaterThanOrEqualTo(0.7);
    }
}
