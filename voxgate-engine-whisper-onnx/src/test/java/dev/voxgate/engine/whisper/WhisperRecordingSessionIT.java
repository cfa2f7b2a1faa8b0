package dev.voxgate.engine.whisper;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions opened for a whole recording, on the real models: what the file path relies on. */
@Timeout(300)
class WhisperRecordingSessionIT {
    private static final int RATE = Speech.RATE;

    /** Feeds {@code pcm} in chunks of varying odd sample counts and returns the finals. */
    private static List<Segment> whole(short[] pcm) throws Exception {
        List<Segment> finals = new ArrayList<>();
        Random sizes = new Random(7);
        RecognitionListener listener = new RecognitionListener() {
            @Override
            public void onFinal(Segment segment) {
                finals.add(segment);
            }
        };
        try (RecognitionSession s = Speech.engine().open(new SessionOptions(RATE, "en", true), listener)) {
            for (int pos = 0; pos < pcm.length; ) {
                int n = Math.min(pcm.length - pos, 1 + 2 * sizes.nextInt(2000));
                s.accept(new AudioChunk(Pcm16.toBytes(pcm, pos, n)));
                pos += n;
            }
            s.finish();
        }
        return finals;
    }

    private static String model(short[] pcm) throws Exception {
        float[] f = new float[pcm.length];
        for (int i = 0; i < f.length; i++) f[i] = pcm[i] / 32768f;
        return ((WhisperEngine) Speech.engine()).decoder().transcribe(f);
    }

    @Test
    void aRecordingThatFitsTheWindowIsOneFinalWithWhatTheModelHearsInTheWholeOfIt() throws Exception {
        Utterance u = SpeechCorpus.load().utterances().get(0);
        short[] pcm = Speech.read(u);
        List<Segment> finals = whole(pcm);
        assertThat(finals).hasSize(1);
        assertThat(finals.get(0).text()).isEqualTo(model(pcm));
        assertThat(finals.get(0).start()).isBetween(0.0, u.seconds());
        assertThat(finals.get(0).end()).isGreaterThan(finals.get(0).start()).isLessThanOrEqualTo(pcm.length
                / (double) RATE);
    }

    @Test
    void noiseAloneGivesNoFinal() throws Exception {
        assertThat(whole(Speech.pause(5, new Random(1)))).isEmpty();
        assertThat(whole(new short[100])).isEmpty();
    }

    @Test
    void aRecordingLongerThanTheWindowComesBackAsTheLiveSessionHearsIt() throws Exception {
        List<Utterance> all = SpeechCorpus.load().utterances();
        Random random = new Random(5);
        short[] pcm = new short[0];
        for (int i = 0; pcm.length < 40 * RATE; i++) {
            short[] clip = Speech.read(all.get(i % all.size())), gap = Speech.pause(0.8, random);
            short[] next = Arrays.copyOf(pcm, pcm.length + gap.length + clip.length);
            System.arraycopy(gap, 0, next, pcm.length, gap.length);
            System.arraycopy(clip, 0, next, pcm.length + gap.length, clip.length);
            pcm = next;
        }
        List<Segment> live = Speech.transcribe(Speech.engine(), pcm, 0.1).finals();
        assertThat(whole(pcm)).isEqualTo(live);
    }
}
