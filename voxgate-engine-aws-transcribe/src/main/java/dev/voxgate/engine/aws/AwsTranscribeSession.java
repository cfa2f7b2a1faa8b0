package dev.voxgate.engine.aws;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import software.amazon.awssdk.services.transcribestreaming.TranscribeStreamingAsyncClient;
import software.amazon.awssdk.services.transcribestreaming.model.MediaEncoding;
import software.amazon.awssdk.services.transcribestreaming.model.StartStreamTranscriptionRequest;
import software.amazon.awssdk.services.transcribestreaming.model.StartStreamTranscriptionResponseHandler;
import software.amazon.awssdk.services.transcribestreaming.model.TranscriptEvent;
import software.amazon.awssdk.services.transcribestreaming.model.TranscriptResultStream;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream to Amazon Transcribe ({@code StartStreamTranscription}).
 *
 * <p>State machine: {@code OPEN} (after Transcribe answered the request with 200) → {@code DRAINING} (in
 * {@link #finish}) → {@code FINISHED}, or {@code CLOSED} from any state; {@code FAILED} when Transcribe or the
 * connection broke the stream.
 *
 * <p>Threads: the SDK's Netty threads call the response handler; it only puts what arrived in {@link #inbox} (no
 * mapping, no listener). The driving thread, inside {@link #accept} and {@link #finish}, hands audio to the
 * {@link AudioPublisher} (waiting for the SDK to ask for it, at most the reply timeout), then takes what has arrived
 * from the inbox, maps it and calls the listener, so callbacks keep the SPI's threading contract. {@link #close} may
 * come from any thread: it takes {@link #emitting}, so once it returns no callback runs.
 */
final class AwsTranscribeSession implements RecognitionSession {
    private enum State { OPEN, DRAINING, FINISHED, FAILED, CLOSED }

    /** What the SDK delivered, in order. */
    private sealed interface Inbound {
        record Accepted() implements Inbound {
        }

        record Event(TranscriptResultStream event) implements Inbound {
        }

        /** @param afterEndOfAudio whether the end of the audio had been handed to the SDK when the stream ended */
        record Completed(boolean afterEndOfAudio) implements Inbound {
        }

        record Broken(Throwable error) implements Inbound {
        }
    }

    /**
     * Audio goes out in events of at least this much (100 ms at 16 kHz): AWS asks for chunks of 50 to 200 ms, and each
     * event costs a signature and a frame; 100 ms is too little to delay a partial noticeably.
     */
    static final int MIN_EVENT_BYTES = 3200;
    /** And of at most this much (1 s), whatever a caller hands over at once: AWS refuses events over 32 KB. */
    static final int MAX_EVENT_BYTES = 32000;

    private final AwsTranscribeConfig config;
    private final RecognitionListener listener;
    private final AudioPublisher audio = new AudioPublisher();
    private final AwsTranscribeCodec codec = new AwsTranscribeCodec();
    private final BlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>();
    private final ReentrantLock emitting = new ReentrantLock();
    private byte[] pending = new byte[2 * MIN_EVENT_BYTES]; // driving thread only
    private int pendingBytes;
    private long audioSent; // driving thread only
    private boolean heard; // driving thread only: a TranscriptEvent arrived
    private volatile State state = State.OPEN;
    private CompletableFuture<Void> call;

    private AwsTranscribeSession(AwsTranscribeConfig config, RecognitionListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /**
     * Starts the stream and waits until Transcribe accepts it (its HTTP/2 response headers).
     *
     * @throws EngineUnavailableException when Transcribe cannot be reached, refuses the credentials, is over capacity,
     *                                    refuses the request or does not answer in time; the message names the cause
     *                                    and what to check
     */
    static AwsTranscribeSession open(AwsTranscribeConfig config, TranscribeStreamingAsyncClient client,
            SessionOptions options, RecognitionListener listener) throws EngineException {
        AwsTranscribeSession s = new AwsTranscribeSession(config, listener);
        StartStreamTranscriptionRequest request = StartStreamTranscriptionRequest.builder()
                .languageCode(config.languageCode(options.language()))
                .mediaSampleRateHertz(options.sampleRate())
                .mediaEncoding(MediaEncoding.PCM)
                .enablePartialResultsStabilization(true)
                .partialResultsStability(config.stability())
                .build();
        BlockingQueue<Inbound> inbox = s.inbox;
        AudioPublisher audio = s.audio;
        StartStreamTranscriptionResponseHandler handler = StartStreamTranscriptionResponseHandler.builder()
                .onResponse(r -> inbox.add(new Inbound.Accepted()))
                .onError(e -> inbox.add(new Inbound.Broken(e)))
                // Read when the SDK reports the end, not when the driving thread gets to it: by then finish() may
                // have ended the audio, and an end that came before would pass for the answer to it.
                .onComplete(() -> inbox.add(new Inbound.Completed(audio.ended())))
                .subscriber(e -> inbox.add(new Inbound.Event(e)))
                .build();
        try {
            s.call = client.startStreamTranscription(request, s.audio, handler);
        } catch (RuntimeException e) { // the SDK refuses before sending: no region, no credentials
            throw AwsTranscribeErrors.opening(config, e);
        }
        s.call.whenComplete((v, e) -> {
            if (e != null) inbox.add(new Inbound.Broken(e));
        });
        try {
            s.awaitAccepted();
        } catch (EngineException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void awaitAccepted() throws EngineException {
        Duration wait = config.connectTimeout().plus(config.replyTimeout());
        Inbound in;
        try {
            in = inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while starting an Amazon Transcribe stream", e);
        }
        switch (in) {
            case null -> throw new EngineUnavailableException("Amazon Transcribe (" + config.safeEndpoint()
                    + ") did not accept the stream within AWS_TRANSCRIBE_CONNECT_TIMEOUT_MS + "
                    + "AWS_TRANSCRIBE_REPLY_TIMEOUT_MS = " + wait.toMillis() + " ms");
            case Inbound.Accepted a -> { }
            case Inbound.Broken b -> throw AwsTranscribeErrors.opening(config, b.error());
            default -> throw new EngineUnavailableException("Amazon Transcribe (" + config.safeEndpoint()
                    + ") ended the stream before accepting it");
        }
    }

    @Override
    public void accept(AudioChunk chunk) throws EngineException {
        State s = state;
        if (s != State.OPEN) throw new IllegalStateException("session is " + s.name().toLowerCase(Locale.ROOT));
        byte[] pcm = chunk.pcm();
        if (pcm.length == 0) return;
        if (pending.length - pendingBytes < pcm.length) pending = Arrays.copyOf(pending,
                Math.max(pending.length * 2, pendingBytes + pcm.length));
        System.arraycopy(pcm, 0, pending, pendingBytes, pcm.length);
        pendingBytes += pcm.length;
        if (pendingBytes >= MIN_EVENT_BYTES) sendPending();
        drain(false);
    }

    /** Sends the audio held back, in events of at most {@link #MAX_EVENT_BYTES}. */
    private void sendPending() throws EngineException {
        for (int pos = 0; pos < pendingBytes; pos += MAX_EVENT_BYTES) {
            byte[] event = Arrays.copyOfRange(pending, pos, Math.min(pendingBytes, pos + MAX_EVENT_BYTES));
            AudioPublisher.Sent sent;
            try {
                sent = audio.send(event, config.replyTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw fail("interrupted while sending audio", e);
            }
            if (state == State.CLOSED) throw new IllegalStateException("session closed");
            switch (sent) {
                case TAKEN -> audioSent += event.length;
                case NO_DEMAND -> {
                    drain(false);
                    throw fail("Amazon Transcribe took no audio for AWS_TRANSCRIBE_REPLY_TIMEOUT_MS="
                            + config.replyTimeout().toMillis(), null);
                }
                case CANCELLED -> {
                    drain(false);
                    throw fail("the Amazon Transcribe stream ended while audio was being sent", null);
                }
            }
        }
        pendingBytes = 0;
    }

    @Override
    public void finish() throws EngineException {
        State s = state;
        if (s == State.CLOSED) throw new IllegalStateException("session is closed");
        if (s == State.FINISHED) return;
        if (s == State.FAILED) {
            throw new RecognitionFailedException("the Amazon Transcribe stream had already failed", null);
        }
        sendPending();
        state = State.DRAINING;
        audio.complete();
        drain(true);
        if (state == State.DRAINING) state = State.FINISHED;
    }

    /**
     * Hands what has arrived to the listener; with {@code untilComplete}, waits (each event at most the reply timeout)
     * until Transcribe ends the stream.
     */
    private void drain(boolean untilComplete) throws EngineException {
        while (true) {
            Inbound in;
            try {
                in = untilComplete ? inbox.poll(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        : inbox.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw fail("interrupted while waiting for Amazon Transcribe", e);
            }
            if (state == State.CLOSED) return;
            switch (in) {
                case null -> {
                    if (!untilComplete) return;
                    throw fail("Amazon Transcribe sent nothing for AWS_TRANSCRIBE_REPLY_TIMEOUT_MS="
                            + config.replyTimeout().toMillis() + " while finishing", null);
                }
                case Inbound.Accepted a -> { }
                case Inbound.Event e -> {
                    if (e.event() instanceof TranscriptEvent t) {
                        heard = true;
                        emit(codec.decode(t));
                    }
                }
                case Inbound.Completed c -> {
                    // The SDK may report a connection the remote closed as the normal end of the stream, and
                    // Transcribe ends a stream only after the audio's closing frame: an end before that frame could
                    // go out is a cut connection, whatever was heard so far.
                    if (!c.afterEndOfAudio()) {
                        throw fail("Amazon Transcribe ended the stream before the end of the audio: the connection "
                                + "was cut", null);
                    }
                    callSucceeded();
                    // A drop after the end of the audio (or racing with it) passes for a normal end too; Transcribe
                    // answers audio with events and closes every ResultId with a final before it ends a stream.
                    if (codec.utteranceOpen() || audioSent > 0 && !heard) {
                        throw fail("the Amazon Transcribe stream ended " + (heard ? "with an utterance still partial "
                                + "(no final for its ResultId)" : "without answering the audio")
                                + ": the connection was cut", null);
                    }
                    return;
                }
                case Inbound.Broken b -> throw failed(b.error());
            }
        }
    }

    /**
     * The response stream ended: only a call that also completed normally ended cleanly (a connection dropped after
     * the end of the audio must not pass for the end of the results).
     */
    private void callSucceeded() throws EngineException {
        try {
            call.get(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        } catch (TimeoutException e) {
            throw fail("the Amazon Transcribe call did not complete within AWS_TRANSCRIBE_REPLY_TIMEOUT_MS="
                    + config.replyTimeout().toMillis() + " after its last event", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while finishing", e);
        }
    }

    private void emit(List<AwsTranscribeCodec.Recognized> results) {
        if (results.isEmpty()) return;
        emitting.lock();
        try {
            if (state == State.CLOSED) return;
            for (AwsTranscribeCodec.Recognized r : results) {
                switch (r) {
                    case AwsTranscribeCodec.Recognized.Partial p -> listener.onPartial(p.text());
                    case AwsTranscribeCodec.Recognized.Final f -> listener.onFinal(f.segment());
                }
            }
        } finally {
            emitting.unlock();
        }
    }

    /** Transcribe or the connection broke the stream: capacity refusals stay "unavailable", the rest are failures. */
    private EngineException failed(Throwable error) {
        EngineException e = AwsTranscribeErrors.midStream(config, error);
        abort();
        if (state != State.CLOSED) state = State.FAILED;
        return e;
    }

    private EngineException fail(String message, Throwable cause) {
        if (state != State.CLOSED) state = State.FAILED;
        abort();
        return new RecognitionFailedException(message + " (" + config.safeEndpoint() + ")", cause);
    }

    private void abort() {
        CompletableFuture<Void> c = call;
        if (c != null) c.cancel(true);
    }

    @Override
    public void close() {
        emitting.lock();
        try {
            state = State.CLOSED;
        } finally {
            emitting.unlock();
        }
        audio.abandon();
        abort();
    }
}
