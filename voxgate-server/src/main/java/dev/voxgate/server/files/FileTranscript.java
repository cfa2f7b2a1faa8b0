package dev.voxgate.server.files;

import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.server.error.ApiException;
import dev.voxgate.server.error.ErrorCode;

import java.util.Locale;

/**
 * What transcribing one file produced: the transcript, the engine and language used, what the file
 * announced and how much audio it really held.
 */
public record FileTranscript(Transcript transcript, String engine, String language, AudioProbe probe,
                             double decodedSeconds) {

    /** True when clearly less audio was decoded than the file's header announces (a file cut short or damaged). */
    public boolean shorterThanAnnounced() {
        double announced = probe.durationSeconds().orElse(0);
        return announced > 0 && decodedSeconds < announced - Math.max(1.0, 0.05 * announced);
    }

    /**
     * The rule the server applies to every file, synchronous or queued: a file that ends well before
     * its header says is {@code truncated_file}, not a short transcript the client would take as complete.
     */
    public FileTranscript requireComplete() throws ApiException {
        if (!shorterThanAnnounced()) return this;
        throw new ApiException(ErrorCode.TRUNCATED_FILE, "file", String.format(Locale.ROOT,
                "the file ends after %.1f s of the %.1f s its header announces: it looks cut short or damaged; "
                + "upload it again",
                decodedSeconds, probe.durationSeconds().orElse(0)));
    }
}
