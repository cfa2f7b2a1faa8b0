package dev.voxgate.engine.whisper;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken model files stop the creation of this engine with a message that names the file and the
 * fix, before ONNX Runtime is given them; the process and every other engine go on working.
 */
@Timeout(120)
class BadModelIT {
    private static Path bundled;
    private static final String FILE = ModelSpec.whisper().file();

    @TempDir
    static Path dir;

    /** A recording from whatever corpus is loaded, and the shared engine's WER on it before any bad file was tried. */
    private static Utterance probe;
    private static double before;

    @BeforeAll
    static void findTheBundledModel() throws Exception {
        bundled = Path.of(Speech.engine().descriptor().model().get("path"));
        assertThat(Files.size(bundled)).isEqualTo(ModelSpec.whisper().size());
        probe = SpeechCorpus.load().longest(); // the most words of any recording: one word more or less shows
        before = wer(Speech.transcribe(Speech.engine(), Speech.read(probe), 0.1).text());
    }

    @AfterAll
    static void theProcessAndTheSharedEngineSurvived() throws Exception {
        // Held to what the same engine heard in the same recording before the bad files (it once looked for "wait no
        // longer").
        String after = Speech.transcribe(Speech.engine(), Speech.read(probe), 0.1).text();
        assertThat(wer(after)).as("%s after the bad files: '%s' (WER before %.4f)", probe.id(), after, before)
                .isLessThanOrEqualTo(before + 1.0 / Speech.words(probe.reference()));
    }

    private static double wer(String text) {
        return Speech.normalizedWer(List.of(probe), Map.of(probe.id(), text));
    }

    private static StreamingEngine create(Map<String, String> settings) throws Exception {
        return (StreamingEngine) new WhisperEngineProvider().create(new EngineContext(settings, dir.resolve("cache")));
    }

    private static EngineUnavailableException refused(Path model) {
        return refused(Map.of("WHISPER_ONNX_MODEL", model.toString()));
    }

    private static EngineUnavailableException refused(Map<String, String> settings) {
        try {
            create(settings).close();
        } catch (EngineUnavailableException e) {
            System.out.println("[whisper] refused as expected: " + e.getMessage());
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected EngineUnavailableException, got " + e, e);
        }
        throw new AssertionError("the engine was created from a bad file: " + settings);
    }

    private static Path copy(String name, long bytes) throws Exception {
        Path target = dir.resolve(name);
        try (InputStream in = Files.newInputStream(bundled); OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[1 << 16];
            long left = bytes;
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; left -= n) {
                out.write(buf, 0, n);
            }
        }
        return target;
    }

    @Test
    void truncatedCopyIsRefusedAsTruncated() throws Exception {
        Path truncated = copy(FILE, 20_000_000);
        Files.createDirectories(dir.resolve("t"));
        Path named = Files.move(truncated, dir.resolve("t").resolve(FILE));
        assertThat(refused(named)).hasMessageContaining("WHISPER_ONNX_MODEL=" + named).hasMessageContaining("truncated")
                .hasMessageContaining("20000000 bytes")
                .hasMessageContaining("point WHISPER_ONNX_MODEL at a valid file");
    }

    @Test
    void truncatedCopyUnderAnotherNameIsFoundByItsStructure() throws Exception {
        Path truncated = copy("my-whisper.onnx", 60_000_000);
        assertThat(refused(truncated)).hasMessageContaining(truncated.toString()).hasMessageContaining("truncated");
    }

    @Test
    void corruptedCopyIsRefusedByItsChecksum() throws Exception {
        Files.createDirectories(dir.resolve("c"));
        Path corrupted = Files.move(copy("c.tmp", ModelSpec.whisper().size()), dir.resolve("c").resolve(FILE));
        try (RandomAccessFile f = new RandomAccessFile(corrupted.toFile(), "rw")) {
            f.seek(40_000_000);
            byte[] junk = new byte[4096];
            new Random(1).nextBytes(junk);
            f.write(junk);
        }
        assertThat(Files.size(corrupted)).isEqualTo(ModelSpec.whisper().size());
        assertThat(refused(corrupted)).hasMessageContaining(corrupted.toString()).hasMessageContaining("sha256")
                .hasMessageContaining("corrupted");
    }

    @Test
    void aChecksumTheUserGaveIsEnforced() {
        Map<String, String> settings = new HashMap<>();
        settings.put("WHISPER_ONNX_MODEL", bundled.toString());
        settings.put("WHISPER_ONNX_MODEL_SHA256", "0".repeat(64));
        assertThat(refused(settings)).hasMessageContaining(bundled.toString())
                .hasMessageContaining("WHISPER_ONNX_MODEL_SHA256");
    }

    @Test
    void missingFileEmptyFileAndTextFileAreRefused() throws Exception {
        Path missing = dir.resolve("nowhere.onnx");
        assertThat(refused(missing)).hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        assertThat(refused(empty)).hasMessageContaining(empty.toString()).hasMessageContaining("empty");
        Path text = Files.writeString(dir.resolve("notes.onnx"), "this is not a model\n".repeat(100));
        assertThat(refused(text)).hasMessageContaining(text.toString()).hasMessageContaining("not an ONNX model");
        assertThat(refused(dir)).hasMessageContaining("not a file");
    }

    @Test
    void anOnnxModelThatIsNotWhisperIsRefusedOnceLoaded() throws Exception {
        Path vad = Path.of(Speech.engine().descriptor().model().get("vad"));
        Path other = Files.copy(vad, dir.resolve("other.onnx"));
        assertThat(refused(other)).hasMessageContaining(other.toString())
                .hasMessageContaining("not an all-in-one Whisper graph");
    }

    @Test
    void aValidFileNamedByTheUserIsCheckedAndUsed() throws Exception {
        try (StreamingEngine e = create(Map.of("WHISPER_ONNX_MODEL", bundled.toString(), "WHISPER_BEAMS", "1",
                "WHISPER_THREADS", "1"))) {
            assertThat(e.descriptor().model()).containsEntry("origin", "configured WHISPER_ONNX_MODEL")
                    .containsEntry("path", bundled.toString()).containsEntry("beams", "1")
                    .containsEntry("threads", "1");
            // One beam instead of four may cost a word or two on this recording, not the transcript (WER within 10
            // points).
            String text = Speech.transcribe(e, Speech.read(probe), 0.1).text();
            assertThat(wer(text)).as("%s with 1 beam: '%s' (4 beams, bundled: WER %.4f)", probe.id(), text, before)
                    .isLessThanOrEqualTo(before + 0.10);
        }
    }

    @Test
    void badSettingsNameTheVariable() {
        assertThat(refused(Map.of("WHISPER_BEAMS", "lots"))).hasMessageContaining("WHISPER_BEAMS=lots");
        assertThat(refused(Map.of("WHISPER_THREADS", "0"))).hasMessageContaining("WHISPER_THREADS=0");
    }
}
