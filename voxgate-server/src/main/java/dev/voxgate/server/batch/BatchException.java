package dev.voxgate.server.batch;

/** Why a file cannot be transcribed as asked, before any audio is decoded. Messages are for clients. */
public sealed class BatchException extends Exception {
    private BatchException(String message) {
        super(message);
    }

    /** No engine has that id (HTTP 400/404). */
    public static final class UnknownEngine extends BatchException {
        public UnknownEngine(String id, java.util.Collection<String> installed) {
            super("no engine '" + id + "'; installed: " + String.join(", ", installed));
        }
    }

    /** The engine is installed but still loading or failed to load (HTTP 503). */
    public static final class EngineNotReady extends BatchException {
        public EngineNotReady(String id, String state) {
            super("engine '" + id + "' is " + state + "; try again shortly");
        }
    }

    /** The engine does not recognise that language (HTTP 400). */
    public static final class UnsupportedLanguage extends BatchException {
        public UnsupportedLanguage(String language, String engine, java.util.List<String> languages) {
            super("engine '" + engine + "' does not transcribe language '" + language + "'; it supports " + String.join(", ", languages));
        }
    }

    /** This build has no audio file decoder (HTTP 503). */
    public static final class NoDecoder extends BatchException {
        public NoDecoder() {
            super("this server has no audio file decoder installed (module voxgate-audio-ffmpeg)");
        }
    }
}
