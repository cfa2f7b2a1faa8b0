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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;

/**
 * Whisper as one ONNX graph (STFT → log-mel → encoder → beam search → BPE decoder, the custom
 * operators coming from onnxruntime-extensions): 16 kHz float PCM in, cased and punctuated text
 * out.
 *
 * <p>A small pool of ONNX Runtime sessions, one per decode that may run at once (the cores), serves
 * every caller; a caller beyond that waits for a free one. Not one shared session: the graph's
 * attention kernels keep mutable state, so concurrent runs of one session can corrupt native memory
 * (seen here as a SIGSEGV inside libonnxruntime under load; ONNX Runtime's maintainers say the same
 * of the Whisper attention operators). More decodes at once than cores would only make each
 * slower: every decode already uses {@code WHISPER_THREADS} threads.
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
    private final List<SharedOrtSession> sessions;
    private final BlockingQueue<SharedOrtSession> idle;
    private final Map<String, OnnxTensor> constants;

    private WhisperDecoder(OrtEnvironment env, List<SharedOrtSession> sessions, Map<String, OnnxTensor> constants) {
        this.env = env;
        this.sessions = List.copyOf(sessions);
        this.idle = new ArrayBlockingQueue<>(sessions.size(), true, sessions);
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
        List<SharedOrtSession> pool = new ArrayList<>();
        try {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.registerCustomOpLibrary(OrtxPackage.getLibraryPath());
                options.setIntraOpNumThreads(config.threads());
                // Several decodes share the cores; threads that spin while waiting would take them from each other.
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                for (int i = 0; i < config.concurrency(); i++) {
                    pool.add(new SharedOrtSession(env.createSession(file.toString(), options)));
                    if (i == 0) checkSignature(pool.get(0)); // before loading the same wrong file again
                }
            }
            Map<String, OnnxTensor> constants = new HashMap<>();
            constants.put("max_length", intTensor(env, MAX_TOKENS));
            constants.put("min_length", intTensor(env, 1));
            constants.put("num_beams", intTensor(env, config.beams()));
            constants.put("num_return_sequences", intTensor(env, 1));
            constants.put("length_penalty", floatTensor(env, 1.0f));
            constants.put("repetition_penalty", floatTensor(env, 1.0f));
            return new WhisperDecoder(env, pool, constants);
        } catch (OrtException | RuntimeException e) {
            pool.forEach(SharedOrtSession::close);
            throw e;
        }
    }

    private static void checkSignature(SharedOrtSession s) throws OrtException {
        Map<String, NodeInfo> in = s.inputs(), out = s.outputs();
        if (!in.keySet().equals(INPUTS) || !out.containsKey(OUTPUT)) {
            throw new IllegalArgumentException("it is not an all-in-one Whisper graph: inputs " + in.keySet()
                    + ", outputs "
                    + out.keySet() + "; expected inputs " + INPUTS + " and output '" + OUTPUT + "'");
        }
    }

    /**
     * Recognises one utterance; blocks while every session of the pool is decoding.
     *
     * @param pcm mono 16 kHz samples in [-1, 1], at most 30 s
     * @return the text, stripped; empty for silence or non-speech
     */
    String transcribe(float[] pcm) throws OrtException, InterruptedException {
        if (pcm.length > MAX_SAMPLES) {
            throw new IllegalArgumentException("Whisper takes at most 30 s per call, got "
                    + pcm.length / (double) SAMPLE_RATE + " s");
        }
        if (pcm.length == 0) return "";
        SharedOrtSession session = idle.take();
        try (OnnxTensor audio = OnnxTensor.createTensor(env, FloatBuffer.wrap(pcm), new long[] {1, pcm.length})) {
            Map<String, OnnxTensor> inputs = new HashMap<>(constants);
            inputs.put("audio_pcm", audio);
            String text = session.run(inputs, r -> {
                String[][] str = (String[][]) r.get(0).getValue();
                return str.length == 0 || str[0].length == 0 ? "" : str[0][0];
            });
            return clean(text);
        } finally {
            idle.add(session);
        }
    }

    static String clean(String text) {
        String t = text == null ? "" : text.strip();
        return NON_SPEECH.matcher(t).matches() ? "" : t;
    }

    boolean isClosed() {
        return sessions.get(0).isClosed();
    }

    /** How many decodes may run at once: one per session of the pool. */
    int concurrency() {
        return sessions.size();
    }

    /** Waits for decodes in progress, then frees the native sessions; idempotent. */
    @Override
    public void close() {
        boolean closedNow = false;
        for (SharedOrtSession s : sessions) closedNow |= s.closeNow();
        if (closedNow) constants.values().forEach(OnnxTensor::close);
    }

    private static OnnxTensor intTensor(OrtEnvironment env, int v) throws OrtException {
        return OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {v}), new long[] {1});
    }

    private static OnnxTensor floatTensor(OrtEnvironment env, float v) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {v}), new long[] {1});
    }
}
