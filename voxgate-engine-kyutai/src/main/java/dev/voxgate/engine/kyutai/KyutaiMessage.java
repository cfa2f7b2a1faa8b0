package dev.voxgate.engine.kyutai;

import java.util.List;

/**
 * What moshi-server sends on its streaming ASR WebSocket ({@code OutMsg} of its {@code asr.rs}), decoded by
 * {@link KyutaiCodec}. Times are seconds of the audio this connection sent.
 */
sealed interface KyutaiMessage {
    /** The connection has a slot of the batch: audio may come. */
    record Ready() implements KyutaiMessage {
    }

    /** A word begins; its text is final (moshi does not revise words). */
    record Word(String text, double startTime) implements KyutaiMessage {
    }

    /** The word last begun ends. */
    record EndWord(double stopTime) implements KyutaiMessage {
    }

    /**
     * One model step (80 ms of this connection's audio) done.
     *
     * @param prs         the semantic VAD heads' probabilities that the speaker has paused (one per horizon; empty for
     *                    models without them)
     * @param bufferedPcm samples received but not yet stepped through
     */
    record Step(long stepIdx, List<Float> prs, long bufferedPcm) implements KyutaiMessage {
        public Step {
            prs = List.copyOf(prs);
        }
    }

    /** All audio sent before the marker of this id has been transcribed. */
    record Marker(long id) implements KyutaiMessage {
    }

    /** The server's error (e.g. {@code no free channels} when its batch is full); it closes next. */
    record Error(String message) implements KyutaiMessage {
    }

    /** A message type this client does not know (a newer server): ignored. */
    record Other(String type) implements KyutaiMessage {
    }
}
