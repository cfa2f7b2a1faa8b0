package dev.voxgate.bench.jmh;

import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.Pcm16Assembler;
import dev.voxgate.audio.Resampler;
import dev.voxgate.server.transport.NativeCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The per-frame work the server does outside the engine, for one 100 ms frame: framing the bytes
 * into samples, converting PCM, resampling browser rates to 16 kHz, and encoding a final.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AudioPathBenchmark {
    private byte[] frame16k;
    private byte[] oddFrame;
    private short[] chunk48k;
    private short[] chunk44k;
    private Resampler from48k;
    private Resampler from44k;
    private Pcm16Assembler assembler;
    private Segment segment;

    @Setup
    public void setUp() {
        Random r = new Random(42);
        frame16k = new byte[3200];
        r.nextBytes(frame16k);
        oddFrame = new byte[3201];
        r.nextBytes(oddFrame);
        chunk48k = new short[4800];
        chunk44k = new short[4410];
        for (int i = 0; i < chunk48k.length; i++) chunk48k[i] = (short) (8000 * Math.sin(i * 0.05));
        for (int i = 0; i < chunk44k.length; i++) chunk44k[i] = (short) (8000 * Math.sin(i * 0.05));
        from48k = new Resampler(48000, 16000);
        from44k = new Resampler(44100, 16000);
        assembler = new Pcm16Assembler();
        List<Word> words = new ArrayList<>();
        for (int i = 0; i < 12; i++) words.add(new Word("word" + i, i * 0.3, i * 0.3 + 0.25, 0.9));
        segment =
                new Segment("word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11", 0, 3.6, words);
    }

    @Benchmark
    public short[] pcmBytesToSamples() {
        return Pcm16.toSamples(frame16k);
    }

    @Benchmark
    public byte[] samplesToPcmBytes() {
        return Pcm16.toBytes(chunk48k, 0, 1600);
    }

    @Benchmark
    public byte[] assembleOddFrame() {
        return assembler.push(ByteBuffer.wrap(oddFrame));
    }

    @Benchmark
    public short[] resample48kTo16k() {
        return from48k.process(chunk48k, 0, chunk48k.length);
    }

    @Benchmark
    public short[] resample44kTo16k() {
        return from44k.process(chunk44k, 0, chunk44k.length);
    }

    @Benchmark
    public String encodeFinalJson() {
        return NativeCodec.finalResult(segment);
    }
}
