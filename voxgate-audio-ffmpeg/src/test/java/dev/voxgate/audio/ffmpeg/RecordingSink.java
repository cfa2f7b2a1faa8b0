package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.decode.PcmChunk;
import dev.voxgate.audio.decode.PcmSink;

import java.util.ArrayList;
import java.util.List;

/** Keeps what a decoder delivers, and the thread it delivered on, checking the order of calls as it goes. */
class RecordingSink implements PcmSink {
    final List<PcmChunk> chunks = new ArrayList<>();
    final List<Double> progress = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();
    AudioProbe probe;
    long samples;

    @Override
    public void started(AudioProbe probe) {
        if (this.probe != null) throw new AssertionError("started twice");
        if (!chunks.isEmpty()) throw new AssertionError("started after audio");
        this.probe = probe;
        threads.add(Thread.currentThread());
    }

    @Override
    public void accept(PcmChunk chunk) {
        if (probe == null) throw new AssertionError("audio before started()");
        if (chunk.firstSample() != samples) {
            throw new AssertionError("chunk starts at " + chunk.firstSample() + ", expected " + samples);
        }
        if (!progress.isEmpty() && progress.getLast() == 1.0) throw new AssertionError("audio after progress 1.0");
        chunks.add(chunk);
        samples += chunk.samples().length;
        threads.add(Thread.currentThread());
    }

    @Override
    public void progress(double fraction) {
        if (!progress.isEmpty() && fraction < progress.getLast()) {
            throw new AssertionError("progress went back from " + progress.getLast() + " to " + fraction);
        }
        progress.add(fraction);
    }

    short[] all() {
        short[] out = new short[Math.toIntExact(samples)];
        int pos = 0;
        for (PcmChunk c : chunks) {
            System.arraycopy(c.samples(), 0, out, pos, c.samples().length);
            pos += c.samples().length;
        }
        return out;
    }
}
