package dev.voxgate.dist;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.engine.vosk.VoskEngineProvider;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Utterances of the test speech joined into one recording (as a WAV in the test's folder), with raw Vosk's WER on
 * it measured in this JVM: what a transcript through a container is held to, so the bound holds on any corpus.
 *
 * @param audio     the joined recording at 16 kHz
 * @param utterance its id, WAV and reference (the parts' references joined)
 * @param rawVosk   raw Vosk's WER on it, in points (basic normalisation)
 * @param parts     how many corpus utterances it joins
 */
record SpeechSample(PcmAudio audio, Utterance utterance, double rawVosk, int parts) {

    /** Corpus utterances from index {@code from} on, at most {@code seconds} long together (at least one). */
    static SpeechSample of(Path dir, String id, int from, double seconds) throws Exception {
        List<Utterance> all = SpeechCorpus.load().utterances();
        List<Utterance> chosen = new ArrayList<>();
        double total = 0;
        for (Utterance u : all.subList(Math.min(from, all.size()), all.size())) {
            if (total + u.seconds() > seconds && !chosen.isEmpty()) break;
            chosen.add(u);
            total += u.seconds();
        }
        if (chosen.isEmpty()) chosen.add(all.get(0));
        PcmAudio audio = SpeechCorpus.joined(chosen, 0.5);
        Path wav = dir.resolve(id + ".wav");
        WavWriter.write(wav, audio);
        Utterance joined = new Utterance(id, wav, audio.seconds(),
                String.join(" ", chosen.stream().map(Utterance::reference).toList()));
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "voxgate-test-cache");
        try (StreamingEngine vosk = (StreamingEngine) new VoskEngineProvider().create(new EngineContext(Map.of(),
                cache))) {
            String text = new OfflineTranscriber(vosk).transcribe(audio, null).text();
            return new SpeechSample(audio, joined, werPoints(joined, text), chosen.size());
        }
    }

    /** The WER of a transcript of this recording, in points. */
    double wer(String hypothesis) {
        return werPoints(utterance, hypothesis);
    }

    /** The recording as the native protocol's binary frames carry it: 16-bit little-endian PCM. */
    byte[] pcm() {
        ByteBuffer b = ByteBuffer.allocate(audio.samples().length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : audio.samples()) b.putShort(s);
        return b.array();
    }

    private static double werPoints(Utterance u, String hypothesis) {
        return 100 * WordErrorRate.corpus(List.of(u), Map.of(u.id(), hypothesis));
    }
}
