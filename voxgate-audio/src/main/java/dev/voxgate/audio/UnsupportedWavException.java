package dev.voxgate.audio;

import java.io.IOException;

/** The file is not a WAV this reader understands; the message says what was found. */
public class UnsupportedWavException extends IOException {
    public UnsupportedWavException(String message) {
        super(message);
    }
}
