package dev.voxgate.engine.whisper;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.extensions.OrtxPackage;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * Whisper as one ONNX graph (STFT → log-mel → encoder → beam search → BPE decoder, the custom
 * operators coming from onnxruntime-extensions): 16 kHz float PCM in, cased and punctuated text
 * out.
 *
 * <p>One session serves every caller. A semaphore sized to the cores bounds how many decodes run
 * at once: each already uses {@code WHISPER_THREADS} threads, so more at once would only make
 * every one of them slower and use more memory.
 *
 * <p>The graph throws for input over 30 s (its mel buffer is fixed), so {@link #transcribe}
 * refuses such input before it reaches ONNX Runtime; the segmenter never produces it.
 */
final class WhisperDecoder implements AutoCloseable {
    static final int SAMPLE_RATE = 16000;
    static final int MAX_SAMPLES = 30 * SAMPLE_RATE;
    static final Set<String> INPUTS = Set.of("audio_pcm", "max_length", "min_length", "num_beams",
            "num_return_sequences", "length_penalty", "repetition_penalty");
    static final String OUTPUT = "str";
    private static final int MAX_TOKENS = 448; // Whisper's decoder context
    /** A whole result such as "[BLANK_AUDIO]" or "(music)" describes the audio; it is not speech. */
    private static final Pattern NON_SPEECH = Pattern.compile("^[\\[(][^\\])]*[\\])]$");

    private final OrtEnvironment env;
    private final SharedOrtSession session;
    private final Semaphore permits;
    private final Map<String, OnnxTensor> constants;

    private WhisperDecoder(OrtEnvironment env, SharedOrtSession session, int concurrency, Map<String, OnnxTensor> constants) {
        this.env = env;
        this.session = session;
        this.permits = new Semaphore(concurrency, true);
        this.constants = constants;
    }

    /**
     * Loads the graph. The file must have been checked (size, checksum or structure) before: this
     * hands it to native code.
     *
     * @throws OrtException when ONNX Runtime cannot load it
     * @throws IllegalArgumentException when it loads but is not an all-in-one Whisper graph
     */
    static WhisperDecoder load(OrtEnvironment env, Path file, WhisperConfig config) throws OrtException {
        OrtSession ort;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.registerCustomOpLibrary(OrtxPackage.getLibraryPath());
            options.setIntraOpNumThreads(config.threads());
            // Several decodes share the cores; threads that spin while waiting would take them from each other.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            ort = env.createSession(file.toString(), options);
        }
        SharedOrtSession shared = new SharedOrtSession(ort);
        try {
            checkSignature(shared);
            Map<String, OnnxTensor> constants = new HashMap<>();
            constants.put("max_length", intTensor(env, MAX_TOKENS));
            constants.put("min_length", intTensor(env, 1));
            constants.put("num_beams", intTensor(env, config.beams()));
            constants.put("num_return_sequences", intTensor(env, 1));
            constants.put("length_penalty", floatTensor(env, 1.0f));
            constants.put("repetition_penalty", floatTensor(env, 1.0f));
            return new WhisperDecoder(env, shared, config.concurrency(), constants);
        } catch (OrtException | RuntimeException e) {
            shared.close();
            throw e;
        }
    }

    private static void checkSignature(SharedOrtSession s) throws OrtException {
        Map<String, NodeInfo> in = s.inputs(), out = s.outputs();
        if (!in.keySet().equals(INPUTS) || !out.containsKey(OUTPUT)) {
            throw new IllegalArgumentException("it is not an all-in-one Whisper graph: inputs " + in.keySet() + ", outputs "
                    + out.keySet() + "; expected inputs " + INPUTS + " and output '" + OUTPUT + "'");
        }
    }

    /**
     * Recognises one utterance; blocks while {@code concurrency} other decodes run.
     *
     * @param pcm mono 16 kHz samples in [-1, 1], at most 30 s
     * @return the text, stripped; empty for silence or non-speech
     */
    String transcribe(float[] pcm) throws OrtException, InterruptedException {
        if (pcm.length > MAX_SAMPLES) {
            throw new IllegalArgumentException("Whisper takes at most 30 s per call, got " + pcm.length / (double) SAMPLE_RATE + " s");
        }
        if (pcm.length == 0) return "";
        permits.acquire();
        try (OnnxTensor audio = OnnxTensor.createTensor(env, FloatBuffer.wrap(pcm), new long[] {1, pcm.length})) {
            Map<String, OnnxTensor> inputs = new HashMap<>(constants);
            inputs.put("audio_pcm", audio);
            String text = session.run(inputs, r -> {
                String[][] str = (String[][]) r.get(0).getValue();
                return str.length == 0 || str[0].length == 0 ? "" : str[0][0];
            });
            return clean(text);
        } finally {
            permits.release();
        }
    }

    static String clean(String text) {
        String t = text == null ? "" : text.strip();
        return NON_SPEECH.matcher(t).matches() ? "" : t;
    }

    boolean isClosed() {
        return session.isClosed();
    }

    /** Waits for decodes in progress, then frees the native session; idempotent. */
    @Override
    public void close() {
        if (session.closeNow()) constants.values().forEach(OnnxTensor::close);
    }

    private static OnnxTensor intTensor(OrtEnvironment env, int v) throws OrtException {
        return OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {v}), new long[] {1});
    }

    private static OnnxTensor floatTensor(OrtEnvironment env, float v) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {v}), new long[] {1});
    }
}
