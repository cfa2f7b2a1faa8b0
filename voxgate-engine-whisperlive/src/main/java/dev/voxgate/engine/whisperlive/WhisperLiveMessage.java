package dev.voxgate.engine.whisperlive;

import java.util.List;

/**
 * What a WhisperLive server sends on its WebSocket (collabora/WhisperLive, {@code server.py} and
 * {@code backend/base.py}), decoded and encoded by {@link WhisperLiveCodec}. Every message carries the {@code uid} the
 * client chose in its {@link WhisperLiveOptions} (empty when a server leaves it out). Plain records, so a
 * WhisperLive-protocol endpoint of Voxgate's own can send the same types.
 */
public sealed interface WhisperLiveMessage {
    String uid();

    /** {@code {"uid","message":"SERVER_READY","backend"}}: the model is loaded and audio may come. */
    record ServerReady(String uid, String backend) implements WhisperLiveMessage {
    }

    /** {@code {"uid","status":"WAIT","message":minutes}}: the server is full; it closes right after. */
    record Wait(String uid, double minutes) implements WhisperLiveMessage {
    }

    /** Any other {@code {"uid","status","message"}}: {@code ERROR} (e.g. the model did not load), {@code WARNING}. */
    record Status(String uid, String status, String message) implements WhisperLiveMessage {
        public boolean isError() {
            return status.equals("ERROR");
        }
    }

    /** {@code {"uid","message":"DISCONNECT"}}: the session reached the server's {@code max_connection_time}. */
    record Disconnect(String uid) implements WhisperLiveMessage {
    }

    /** {@code {"uid","language","language_prob"}}: the language the server detected (when none was asked for). */
    record Language(String uid, String language, double probability) implements WhisperLiveMessage {
    }

    /**
     * {@code {"uid","segments":[…]}}: the server's window: its last {@code send_last_n_segments} completed segments
     * (re-sent every time) and, last, the segment still being recognised.
     */
    record Segments(String uid, List<WhisperLiveSegment> segments) implements WhisperLiveMessage {
        public Segments {
            segments = List.copyOf(segments);
        }
    }

    /** A message this client does not use (translations, a newer server's additions): ignored. */
    record Other(String uid) implements WhisperLiveMessage {
    }
}
