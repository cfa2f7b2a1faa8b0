package dev.voxgate.bench.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.bench.load.Clip;
import dev.voxgate.bench.load.ServerProbe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Scenario F's client: WAV files submitted at once to a server's job API ({@code POST /api/jobs},
 * multipart field {@code file}), then polled ({@code GET /api/jobs/{id}}) until every job has
 * finished, and the transcripts of those that succeeded fetched ({@code transcript.txt}).
 */
public final class BatchJobs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);
    /** Between the clips joined into one file, so the engine's VAD sees utterances apart. */
    private static final double GAP_SECONDS = 0.5;

    private BatchJobs() {
    }

    /** One file to submit; {@code clip} holds the same audio (for the raw engine) and the joined references. */
    public record JobFile(Path wav, Clip clip) {
    }

    /**
     * A batch: every job's outcome and the wall time from the first upload to the last job seen finished.
     *
     * @param transcripts file id → transcript text, for the jobs that succeeded
     * @param errors      one line per job that failed, was cancelled or did not finish in time
     */
    public record Report(int jobs, double audioSeconds, double wallSeconds, double serverCpuSeconds,
                         Map<String, String> transcripts, List<String> errors) {
        public int succeeded() {
            return transcripts.size();
        }

        public int failed() {
            return jobs - transcripts.size();
        }

        /** Seconds of audio transcribed per second of wall time. */
        public double throughputXRealtime() {
            return audioSeconds / wallSeconds;
        }

        /** Server CPU over the batch as a share of one core. */
        public double serverCores() {
            return serverCpuSeconds / wallSeconds;
        }
    }

    /**
     * Joins consecutive clips (16 kHz, as {@link Clip#of} makes them) into WAV files of at least
     * {@code targetSeconds} each, with {@value #GAP_SECONDS} s of silence between clips, written to
     * {@code dir} as {@code prefix-1.wav}, … The last file may be shorter. A file's reference is its
     * clips' references joined, or null when one of them has none.
     */
    public static List<JobFile> concatenate(List<Clip> clips, double targetSeconds, Path dir,
            String prefix) throws IOException {
        List<JobFile> out = new ArrayList<>();
        List<Clip> group = new ArrayList<>();
        double seconds = 0;
        for (Clip c : clips) {
            if (c.sampleRate() != 16000) throw new IllegalArgumentException(c.id() + " is at " + c.sampleRate()
                    + " Hz, not 16000");
            group.add(c);
            seconds += c.seconds();
            if (seconds >= targetSeconds) {
                out.add(write(group, dir, prefix + "-" + (out.size() + 1)));
                group.clear();
                seconds = 0;
            }
        }
        if (!group.isEmpty()) out.add(write(group, dir, prefix + "-" + (out.size() + 1)));
        return out;
    }

    private static JobFile write(List<Clip> group, Path dir, String id) throws IOException {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        byte[] gap = new byte[(int) (16000 * GAP_SECONDS) * 2];
        List<String> refs = new ArrayList<>();
        boolean allKnown = true;
        for (int i = 0; i < group.size(); i++) {
            if (i > 0) pcm.writeBytes(gap);
            pcm.writeBytes(group.get(i).pcm());
            if (group.get(i).reference() == null) allKnown = false;
            else refs.add(group.get(i).reference());
        }
        byte[] data = pcm.toByteArray();
        Path wav = dir.resolve(id + ".wav");
        try (OutputStream o = Files.newOutputStream(wav)) {
            o.write(WavWriter.header(16000, 1, data.length));
            o.write(data);
        }
        Clip first = group.get(0);
        Clip joined =
                new Clip(id, data, 16000, data.length / 32000.0, first.onsetSeconds(), allKnown ? String.join(" ", refs)
                        : null);
        return new JobFile(wav, joined);
    }

    /**
     * Submits every file at once to {@code base}'s job API (the server's default file engine),
     * polls until all have finished or {@code timeout} has passed, and fetches the transcripts.
     */
    public static Report run(URI base, List<JobFile> files, Duration timeout, ServerProbe probe) throws IOException,
            InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Map<String, String> transcripts = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        Map<String, String> pending = new LinkedHashMap<>(); // job id → file id
        double cpu0 = probe.cpuSeconds();
        long t0 = System.nanoTime();
        for (JobFile f : files) {
            HttpResponse<String> r =
                    http.send(upload(base.resolve("/api/jobs"), f.wav()), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                errors.add(f.clip().id() + ": upload answered " + r.statusCode() + " " + r.body());
                continue;
            }
            pending.put(JSON.readTree(r.body()).path("id").asText(), f.clip().id());
        }
        long deadline = t0 + timeout.toNanos(), last = System.nanoTime();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var job = it.next();
                HttpResponse<String> r =
                        http.send(HttpRequest.newBuilder(base.resolve("/api/jobs/" + job.getKey())).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode j = JSON.readTree(r.body());
                String status = j.path("status").asText();
                if (status.equals("queued") || status.equals("running")) continue;
                last = System.nanoTime();
                it.remove();
                if (status.equals("succeeded")) {
                    HttpResponse<String> t =
                            http.send(
                                    HttpRequest.newBuilder(base.resolve("/api/jobs/" + job.getKey()
                                            + "/transcript.txt")).build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    if (t.statusCode() == 200) transcripts.put(job.getValue(), t.body().strip());
                    else errors.add(job.getValue() + ": transcript.txt answered " + t.statusCode() + " " + t.body());
                } else {
                    errors.add(job.getValue() + ": " + status + " " + j.path("error"));
                }
            }
        }
        for (String file : pending.values()) errors.add(file + ": not finished after " + timeout.toSeconds() + " s");
        if (!pending.isEmpty()) last = System.nanoTime();
        double audio = files.stream().mapToDouble(f -> f.clip().seconds()).sum();
        return new Report(files.size(), audio, (last - t0) / 1e9, probe.cpuSeconds() - cpu0, transcripts, errors);
    }

    /**
     * A multipart/form-data upload with the one field the job API needs, built by hand (body streamed from the file).
     */
    private static HttpRequest upload(URI uri, Path wav) throws IOException {
        String boundary = "voxgate-bench-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + wav.getFileName()
                + "\"\r\nContent-Type: audio/wav\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofFile(wav), HttpRequest.BodyPublishers.ofString(tail)))
                .build();
    }
}
