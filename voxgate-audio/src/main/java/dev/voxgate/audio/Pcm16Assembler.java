package dev.voxgate.audio;

import java.nio.ByteBuffer;

/**
 * Turns arbitrarily split byte frames into whole 16-bit samples: an odd trailing byte is kept and
 * joined to the first byte of the next frame, so clients may cut their stream anywhere.
 * Not thread-safe: one per stream, used from one thread at a time.
 */
public final class Pcm16Assembler {
    private int carry = -1;

    /** Returns the whole samples completed by this frame as a new array (possibly empty); never reuses a buffer. */
    public byte[] push(ByteBuffer frame) {
        int available = frame.remaining() + (carry >= 0 ? 1 : 0);
        int whole = available & ~1;
        byte[] out = new byte[whole];
        int pos = 0;
        if (carry >= 0 && whole > 0) {
            out[pos++] = (byte) carry;
            carry = -1;
        }
        int fromFrame = whole - pos;
        frame.get(out, pos, fromFrame);
        if (frame.hasRemaining()) {
            carry = frame.get() & 0xff;
        }
        return out;
    }

    /** Whether a half sample is waiting for its second byte. */
    public boolean hasPendingByte() {
        return carry >= 0;
    }
}
