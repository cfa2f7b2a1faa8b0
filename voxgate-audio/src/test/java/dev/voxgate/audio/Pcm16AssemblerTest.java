package dev.voxgate.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class Pcm16AssemblerTest {

    private static short[] samples(int n, long seed) {
        Random random = new Random(seed);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) random.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1);
        return s;
    }

    /** Pushes {@code stream} cut at the given piece lengths and concatenates what comes out. */
    private static byte[] reassemble(byte[] stream, List<Integer> pieces, Pcm16Assembler assembler) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        for (int len : pieces) {
            byte[] result = assembler.push(ByteBuffer.wrap(stream, pos, len));
            assertThat(result.length % 2).as("only whole samples come out").isZero();
            out.writeBytes(result);
            pos += len;
            assertThat(assembler.hasPendingByte()).as("pending after %d bytes", pos).isEqualTo(pos % 2 == 1);
            assertThat(out.size()).as("all whole samples so far are out").isEqualTo(pos & ~1);
        }
        assertThat(pos).isEqualTo(stream.length);
        return out.toByteArray();
    }

    private static List<Integer> fixedPieces(int total, int size) {
        List<Integer> pieces = new ArrayList<>();
        for (int pos = 0; pos < total; pos += size) pieces.add(Math.min(size, total - pos));
        return pieces;
    }

    @Test
    void oneBytePiecesReassembleIntoTheOriginalSamples() {
        short[] original = samples(1001, 1);
        byte[] stream = Pcm16.toBytes(original);

        byte[] out = reassemble(stream, fixedPieces(stream.length, 1), new Pcm16Assembler());

        assertThat(Pcm16.toSamples(out)).isEqualTo(original);
    }

    @Test
    void threeBytePiecesReassembleIntoTheOriginalSamples() {
        short[] original = samples(1000, 2);
        byte[] stream = Pcm16.toBytes(original);

        byte[] out = reassemble(stream, fixedPieces(stream.length, 3), new Pcm16Assembler());

        assertThat(Pcm16.toSamples(out)).isEqualTo(original);
    }

    @Test
    void randomSplitPointsReassembleIntoTheOriginalSamples() {
        Random random = new Random(20_240_601);
        for (int round = 0; round < 50; round++) {
            short[] original = samples(random.nextInt(0, 3000), round);
            byte[] stream = Pcm16.toBytes(original);
            List<Integer> pieces = new ArrayList<>();
            for (int pos = 0; pos < stream.length; ) {
                int len = Math.min(random.nextInt(0, 40), stream.length - pos); // empty pieces included
                pieces.add(len);
                pos += len;
            }

            byte[] out = reassemble(stream, pieces, new Pcm16Assembler());

            assertThat(Pcm16.toSamples(out)).as("round %d", round).isEqualTo(original);
        }
    }

    @Test
    void pendingByteIsJoinedToTheFirstByteOfTheNextFrame() {
        Pcm16Assembler assembler = new Pcm16Assembler();

        assertThat(assembler.push(ByteBuffer.wrap(new byte[] {0x01, 0x02, 0x03}))).containsExactly(0x01, 0x02);
        assertThat(assembler.hasPendingByte()).isTrue();
        assertThat(assembler.push(ByteBuffer.wrap(new byte[0]))).isEmpty();
        assertThat(assembler.hasPendingByte()).isTrue();
        assertThat(assembler.push(ByteBuffer.wrap(new byte[] {0x04}))).containsExactly(0x03, 0x04);
        assertThat(assembler.hasPendingByte()).isFalse();
        assertThat(assembler.push(ByteBuffer.wrap(new byte[] {0x05}))).isEmpty();
        assertThat(assembler.hasPendingByte()).isTrue();
        assertThat(assembler.push(ByteBuffer.wrap(new byte[] {0x06, 0x07}))).containsExactly(0x05, 0x06);
        assertThat(assembler.hasPendingByte()).isTrue();
        assertThat(assembler.push(ByteBuffer.wrap(new byte[] {0x08, 0x09, 0x0A})))
                .containsExactly(0x07, 0x08, 0x09, 0x0A);
        assertThat(assembler.hasPendingByte()).isFalse();
    }

    @Test
    void freshAssemblerHasNoPendingByte() {
        Pcm16Assembler assembler = new Pcm16Assembler();
        assertThat(assembler.hasPendingByte()).isFalse();
        assertThat(assembler.push(ByteBuffer.wrap(new byte[] {1, 2}))).containsExactly(1, 2);
        assertThat(assembler.hasPendingByte()).isFalse();
    }

    @Test
    void resultNeverSharesTheInputBuffer() {
        Pcm16Assembler assembler = new Pcm16Assembler();
        byte[] frame = {10, 20, 30, 40};

        byte[] first = assembler.push(ByteBuffer.wrap(frame));
        Arrays.fill(frame, (byte) 0);

        assertThat(first).containsExactly(10, 20, 30, 40).isNotSameAs(frame);
    }

    @Test
    void resultsAreNotReusedBetweenCalls() {
        Pcm16Assembler assembler = new Pcm16Assembler();
        byte[] frame = {1, 2, 3, 4};

        byte[] first = assembler.push(ByteBuffer.wrap(frame));
        byte[] second = assembler.push(ByteBuffer.wrap(new byte[] {5, 6, 7, 8}));
        byte[] emptyA = assembler.push(ByteBuffer.allocate(0));
        byte[] emptyB = assembler.push(ByteBuffer.allocate(0));

        assertThat(first).containsExactly(1, 2, 3, 4).isNotSameAs(second);
        assertThat(second).containsExactly(5, 6, 7, 8);
        second[0] = 99;
        assertThat(first).containsExactly(1, 2, 3, 4);
        assertThat(emptyA).isEmpty();
        assertThat(emptyB).isEmpty();
    }

    @Test
    void consumesTheFrameFromItsPositionToItsLimit() {
        Pcm16Assembler assembler = new Pcm16Assembler();
        ByteBuffer frame = ByteBuffer.wrap(new byte[] {9, 9, 1, 2, 3, 9});
        frame.position(2).limit(5);

        byte[] out = assembler.push(frame);

        assertThat(out).containsExactly(1, 2);
        assertThat(frame.hasRemaining()).isFalse();
        assertThat(assembler.hasPendingByte()).isTrue();
        assertThat(assembler.push(ByteBuffer.wrap(new byte[] {4}))).containsExactly(3, 4);
    }

    @Test
    void acceptsDirectAndReadOnlyBuffers() {
        Pcm16Assembler assembler = new Pcm16Assembler();
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {1, 2, 3}).flip();
        ByteBuffer readOnly = ByteBuffer.wrap(new byte[] {4, 5, 6}).asReadOnlyBuffer();

        assertThat(assembler.push(direct)).containsExactly(1, 2);
        assertThat(assembler.push(readOnly)).containsExactly(3, 4, 5, 6);
        assertThat(assembler.hasPendingByte()).isFalse();
    }
}
