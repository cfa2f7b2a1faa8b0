package dev.voxgate.jobs.queue;

import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.jobs.JobRequest;
import dev.voxgate.jobs.ResultFormat;
import dev.voxgate.jobs.TranscriptRenderer;
import dev.voxgate.jobs.storage.BlobKey;
import dev.voxgate.jobs.storage.BlobStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Renders a transcript in every {@link ResultFormat} ({@link TranscriptRenderer}) and stores the files. */
public final class ResultWriter {
    private final BlobStore blobs;

    public ResultWriter(BlobStore blobs) {
        this.blobs = blobs;
    }

    /**
     * Writes all four formats (they are small, and any can be asked for later).
     *
     * @return the keys written, in {@link ResultFormat} order
     */
    public List<String> write(UUID jobId, Transcript transcript, JobRequest request) throws IOException {
        List<String> keys = new ArrayList<>();
        for (ResultFormat f : ResultFormat.values()) {
            BlobKey key = BlobKey.result(jobId, f);
            blobs.put(key, new ByteArrayInputStream(render(f, transcript, request)));
            keys.add(key.value());
        }
        return keys;
    }

    public static byte[] render(ResultFormat format, Transcript t, JobRequest request) {
        String text = TranscriptRenderer.render(format, t, request.engine(), request.language());
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
