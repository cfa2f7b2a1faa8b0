package dev.voxgate.jobs.queue;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.UnsupportedAudioException;
import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.jobs.PermanentFailureException;
import dev.voxgate.jobs.TransientFailureException;

import java.io.IOException;

/**
 * How a failed attempt is treated.
 *
 * @param permanent true when trying again cannot help (the file or the request is at fault)
 * @param code      the stable error code stored with the job
 * @param message   a sentence for users
 */
record Failure(boolean permanent, String code, String message) {

    /**
     * Permanent: an {@link AudioDecodeException} whose reason is the file's fault (not audio, empty,
     * corrupt, unsupported codec, no audio stream), {@link UnsupportedAudioException}, a {@link
     * PermanentFailureException}
     * (with its own code), a {@link TransientFailureException} (transient, with its own code), and an upload that is no
     * longer stored. Transient:
     * everything else, including the decode reasons that are the machine's fault
     * ({@code unreadable_file}, {@code decoder_unavailable}: another node or a later try may work).
     * The cause chain is searched, so a wrapped decode error still counts as what it is.
     */
    static Failure classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AudioDecodeException d) {
                return new Failure(d.reason().fileProblem(), d.reason().code(), message(d));
            }
            if (t instanceof UploadMissingException m) {
                return new Failure(true, "upload_missing", m.getMessage());
            }
            if (t instanceof UnsupportedAudioException u) {
                return new Failure(true, u.code(), message(u));
            }
            if (t instanceof PermanentFailureException p) {
                return new Failure(true, p.code(), message(p));
            }
            if (t instanceof TransientFailureException f) {
                return new Failure(false, f.code(), message(f));
            }
        }
        if (e instanceof EngineException ee) return new Failure(false, ee.code(), message(ee));
        if (e instanceof IOException) return new Failure(false, "io_error", "reading or writing a file failed: "
                + message(e));
        return new Failure(false, "internal_error", e.getClass().getSimpleName() + ": " + message(e));
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
