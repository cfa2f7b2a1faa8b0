package dev.voxgate.server.files;

/**
 * What file transcription reports, for metrics: one call per file that reached an engine or was refused on the way.
 * Called on the thread that asked for the transcription.
 */
public interface FileEvents {
    /** No one listens (the CLI, tests). */
    FileEvents NONE = new FileEvents() {
        @Override
        public void transcribed(String engine, Source source, double audioSeconds, long nanos) {
        }

        @Override
        public void failed(String engine, Source source, String code, long nanos) {
        }
    };

    /** Who asked: a synchronous request ({@code /v1/audio/transcriptions}) or a queued job. */
    enum Source {
        REQUEST("request"), JOB("job");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A file transcribed: {@code audioSeconds} of audio decoded and recognised in {@code nanos}. */
    void transcribed(String engine, Source source, double audioSeconds, long nanos);

    /** A file that ended in an error: its catalogue code ({@code cancelled} when the caller gave up). */
    void failed(String engine, Source source, String code, long nanos);
}
