package dev.voxgate.engine.whisper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a stream of audio frames, each with its speech probability, into utterances: the pieces
 * of audio that go to the recogniser. Pure Java and deterministic, so it is tested with made-up
 * probabilities.
 *
 * <p>Rules ({@link SegmenterConfig} has the numbers):
 * <ul>
 *   <li>speech starts at a frame above the start threshold; the utterance begins one pad earlier
 *       (never before the end of the previous utterance);</li>
 *   <li>while in speech, frames at or above the end threshold count as speech; a run of frames
 *       below it as long as the minimum silence ends the utterance one pad after the last speech
 *       frame;</li>
 *   <li>an utterance with less than the minimum speech (first speech frame to last) is dropped;</li>
 *   <li>an utterance is never longer than the maximum: when speech goes on, it is cut at the
 *       quietest frame of the last few seconds (a frame below the end threshold if there is one,
 *       else the one with the least energy — a gap between words), and what follows the cut goes
 *       on as the next utterance, with no audio lost or repeated.</li>
 * </ul>
 *
 * <p>Memory: the audio of the current utterance (at most the maximum) and one pad before it.
 * Not thread-safe: one per stream.
 */
final class SpeechSegmenter {

    /**
     * A piece of audio to recognise.
     *
     * @param start   sample index from the start of the stream
     * @param samples owned by the receiver
     */
    record Utterance(long start, float[] samples) {
        long end() {
            return start + samples.length;
        }

        double startSeconds(int rate) {
            return start / (double) rate;
        }

        double endSeconds(int rate) {
            return end() / (double) rate;
        }
    }

    private final SegmenterConfig config;
    private final int frame;
    /** Energy and probability of the most recent frames, for choosing a hard cut; indexed by frame number. */
    private final float[] ringRms, ringProb;
    private final long[] ringFrame;

    private float[] buf = new float[1 << 16];
    private long bufStart;      // stream index of buf[0]
    private int bufLen;
    private long total;         // samples received
    private long floor;         // end of the last utterance: the next may not start before it

    private boolean inSpeech;
    private boolean continued;  // the current utterance follows a hard cut: it is speech already
    private long uttStart;
    private long firstSpeech;   // start of the frame that triggered speech
    private long lastSpeechEnd; // end of the last frame counted as speech
    private long silenceStart = -1;

    SpeechSegmenter(SegmenterConfig config) {
        this.config = config;
        this.frame = config.frameSamples();
        int ring = config.cutSearchSamples() / frame + 4;
        ringRms = new float[ring];
        ringProb = new float[ring];
        ringFrame = new long[ring];
        Arrays.fill(ringFrame, -1);
    }

    /**
     * Takes the next frame (exactly {@code frameSamples} samples, copied) and its speech probability.
     *
     * @return the utterances this frame completed, in order; usually none
     */
    List<Utterance> accept(float[] samples, float probability) {
        if (samples.length != frame) throw new IllegalArgumentException("frames are " + frame + " samples, got "
                + samples.length);
        long frameStart = total;
        append(samples, samples.length);
        remember(frameStart, samples, probability);
        List<Utterance> out = new ArrayList<>(1);
        if (!inSpeech) {
            if (probability > config.startThreshold()) {
                inSpeech = true;
                continued = false;
                uttStart = Math.max(floor, Math.max(bufStart, frameStart - config.padSamples()));
                firstSpeech = frameStart;
                lastSpeechEnd = total;
                silenceStart = -1;
            } else {
                dropBefore(Math.max(floor, total - config.padSamples()));
                return out;
            }
        } else if (probability >= config.endThreshold()) {
            lastSpeechEnd = total;
            silenceStart = -1;
        } else {
            if (silenceStart < 0) silenceStart = frameStart;
            if (total - silenceStart >= config.minSilenceSamples()) {
                end(out, Math.min(total, lastSpeechEnd + config.padSamples()));
                return out;
            }
        }
        enforceMaximum(out);
        return out;
    }

    /**
     * Ends the stream: {@code tail} (fewer samples than a frame, may be empty) is added without a
     * probability, and the utterance in progress, if any, is closed.
     */
    List<Utterance> finish(float[] tail, int length) {
        List<Utterance> out = new ArrayList<>(2);
        if (length > 0) append(tail, length);
        if (inSpeech) {
            // Still speaking at the end: the tail belongs to the speech.
            if (silenceStart < 0) lastSpeechEnd = total;
            enforceMaximum(out);
            end(out, Math.max(uttStart, Math.min(total, lastSpeechEnd + config.padSamples())));
        }
        dropBefore(total);
        return out;
    }

    /** Samples received so far. */
    long position() {
        return total;
    }

    private void end(List<Utterance> out, long end) {
        boolean enough = continued || lastSpeechEnd - firstSpeech >= config.minSpeechSamples();
        if (enough && end > uttStart) {
            out.add(new Utterance(uttStart, copy(uttStart, end)));
            floor = end;
        }
        inSpeech = false;
        continued = false;
        silenceStart = -1;
        dropBefore(Math.max(floor, total - config.padSamples()));
    }

    private void enforceMaximum(List<Utterance> out) {
        while (inSpeech && total - uttStart > config.maxSamples()) {
            long cut = chooseCut();
            out.add(new Utterance(uttStart, copy(uttStart, cut)));
            floor = cut;
            uttStart = cut;
            firstSpeech = cut;
            continued = true;
            lastSpeechEnd = Math.max(lastSpeechEnd, cut);
            if (silenceStart >= 0) silenceStart = Math.max(silenceStart, cut);
            dropBefore(cut);
        }
    }

    /**
     * The cut for an utterance that reached the maximum: the middle of the quietest frame whose
     * middle lies in the search window before the limit. A frame the VAD scored as silence wins
     * over any speech frame; among equals, the least energy wins; among those, the latest (the
     * longest first piece).
     */
    private long chooseCut() {
        long limit = uttStart + config.maxSamples();
        long from = Math.max(uttStart + 1, limit - config.cutSearchSamples());
        long best = -1;
        boolean bestSilent = false;
        float bestRms = Float.MAX_VALUE;
        for (int i = 0; i < ringFrame.length; i++) {
            long f = ringFrame[i];
            if (f < 0) continue;
            long middle = f * frame + frame / 2;
            if (middle < from || middle > limit) continue;
            boolean silent = ringProb[i] < config.endThreshold();
            float rms = ringRms[i];
            boolean better = best < 0 || (silent && !bestSilent)
                    || (silent == bestSilent && (rms < bestRms || (rms == bestRms && middle > best)));
            if (better) {
                best = middle;
                bestSilent = silent;
                bestRms = rms;
            }
        }
        return best < 0 ? limit : best;
    }

    private void remember(long frameStart, float[] samples, float probability) {
        long f = frameStart / frame;
        int i = (int) (f % ringFrame.length);
        double sum = 0;
        for (float s : samples) sum += s * s;
        ringFrame[i] = f;
        ringRms[i] = (float) Math.sqrt(sum / samples.length);
        ringProb[i] = probability;
    }

    private void append(float[] samples, int length) {
        if (bufLen + length > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + length));
        System.arraycopy(samples, 0, buf, bufLen, length);
        bufLen += length;
        total += length;
    }

    private float[] copy(long from, long to) {
        return Arrays.copyOfRange(buf, (int) (from - bufStart), (int) (to - bufStart));
    }

    private void dropBefore(long position) {
        int n = (int) Math.min(bufLen, Math.max(0, position - bufStart));
        if (n == 0) return;
        System.arraycopy(buf, n, buf, 0, bufLen - n);
        bufLen -= n;
        bufStart += n;
    }
}
