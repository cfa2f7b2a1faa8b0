package dev.voxgate.server.archive;

import dev.voxgate.jobs.storage.BlobKey;
import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ClientText;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.error.HttpErrorMapper;
import dev.voxgate.server.guard.Caller;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * {@code GET /api/sessions/{id}/audio.wav} and {@code GET /api/sessions/{id}/transcript.json}: an archived session's
 * audio and sidecar. Like jobs, an archive belongs to the API key that streamed it: another key's archive gets the
 * same 404 as one that does not exist (ids cannot be probed); a server running open shows every archive. An id that
 * is not a session id (anything that could walk a path) is a 404 too, before any storage is asked.
 */
public final class ArchiveRoutes {
    private static final Logger log = LoggerFactory.getLogger(ArchiveRoutes.class);

    private final SessionArchive archive;

    public ArchiveRoutes(SessionArchive archive) {
        this.archive = archive;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/sessions/{id}/audio.wav", ctx -> send(ctx, true));
        routes.get("/api/sessions/{id}/transcript.json", ctx -> send(ctx, false));
    }

    private void send(Context ctx, boolean audio) {
        String id = ctx.pathParam("id");
        try {
            Optional<SessionArchive.Entry> entry = BlobKey.isSessionId(id) ? archive.find(id) : Optional.empty();
            Optional<String> caller = Caller.of(ctx).owner();
            if (entry.isEmpty() || caller.isPresent() && !caller.equals(entry.get().keyId())) {
                notFound(ctx, id);
                return;
            }
            BlobKey key = audio ? entry.get().audio() : entry.get().transcript();
            Optional<InputStream> in = archive.open(key);
            if (in.isEmpty()) { // deleted by retention between the two reads
                notFound(ctx, id);
                return;
            }
            ctx.contentType(audio ? "audio/wav" : "application/json");
            ctx.header("Content-Disposition", "attachment; filename=\"" + id + (audio ? ".wav\"" : ".json\""));
            ctx.result(in.get());
        } catch (IOException e) {
            log.warn("GET {}: the archive's storage failed: {}", ctx.path(), e.toString());
            HttpErrorMapper.NATIVE.send(ctx, ApiError.of(ErrorCode.IO_ERROR,
                    "the archive's storage did not answer; try again shortly"));
        }
    }

    private static void notFound(Context ctx, String id) {
        HttpErrorMapper.NATIVE.send(ctx, ApiError.of(ErrorCode.NOT_FOUND, "no archived session "
                + ClientText.clip(id, 64) + " for this key (a session's archive appears once the session has ended,"
                + " and only with ARCHIVE_AUDIO=true)"));
    }
}
