package dev.voxgate.engine.aws;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.transcribestreaming.TranscribeStreamingAsyncClient;
import software.amazon.awssdk.services.transcribestreaming.model.Alternative;
import software.amazon.awssdk.services.transcribestreaming.model.AudioStream;
import software.amazon.awssdk.services.transcribestreaming.model.Result;
import software.amazon.awssdk.services.transcribestreaming.model.StartStreamTranscriptionRequest;
import software.amazon.awssdk.services.transcribestreaming.model.StartStreamTranscriptionResponse;
import software.amazon.awssdk.services.transcribestreaming.model.StartStreamTranscriptionResponseHandler;
import software.amazon.awssdk.services.transcribestreaming.model.TranscriptEvent;
import software.amazon.awssdk.services.transcribestreaming.model.TranscriptResultStream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The session against a scripted client (no network), for orders of events the fake Transcribe only meets by chance:
 * the SDK's normal end of the response stream arriving between the last audio and the end of the audio.
 */
@Timeout(10)
class AwsTranscribeSessionTest {
    /** Plays the SDK's part: takes all the audio, answers with what the test says, when it says. */
    private static final class ScriptedClient implements TranscribeStreamingAsyncClient {
        final CompletableFuture<Void> call = new CompletableFuture<>();
        StartStreamTranscriptionResponseHandler handler;
        Subscriber<? super TranscriptResultStream> events;
        volatile boolean audioEnded;

        @Override
        public CompletableFuture<Void> startStreamTranscription(StartStreamTranscriptionRequest request,
                Publisher<AudioStream> audio, StartStreamTranscriptionResponseHandler h) {
            handler = h;
            audio.subscribe(new Subscriber<>() {
                @Override
                public void onSubscribe(Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(AudioStream a) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onComplete() {
                    audioEnded = true;
                }
            });
            h.responseReceived(StartStreamTranscriptionResponse.builder().build());
            h.onEventStream(SdkPublisher.adapt(s -> {
                events = s;
                s.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
            }));
            return call;
        }

        void answer(String resultId, boolean partial, String text) {
            Result r = Result.builder().resultId(resultId).isPartial(partial).startTime(0.0).endTime(1.0)
                    .alternatives(Alternative.builder().transcript(text).build()).build();
            events.onNext(TranscriptEvent.builder().transcript(t -> t.results(r)).build());
        }

        /** The response stream ends normally, as the SDK also reports a connection the remote closed. */
        void end() {
            events.onComplete();
            handler.complete();
            call.complete(null);
        }

        /** Ends the response stream once the session has ended the audio, as Transcribe does. */
        Thread endAfterTheAudio() {
            return Thread.ofVirtual().start(() -> {
                try {
                    while (!audioEnded) Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
                end();
            });
        }

        @Override
        public String serviceName() {
            return "transcribe";
        }

        @Override
        public void close() {
        }
    }

    private static final class Heard implements RecognitionListener {
        final List<String> finals = new ArrayList<>();

        @Override
        public void onFinal(Segment segment) {
            finals.add(segment.text());
        }
    }

    private static AwsTranscribeSession open(ScriptedClient client, Heard heard) throws Exception {
        AwsTranscribeConfig config = AwsTranscribeConfig.from(new EngineContext(Map.of("AWS_REGION", "us-east-1",
                "AWS_TRANSCRIBE_REPLY_TIMEOUT_MS", "2000"), Path.of(".")));
        return AwsTranscribeSession.open(config, client, new SessionOptions(16000, "en"), heard);
    }

    private static AudioChunk audio() {
        return new AudioChunk(new byte[AwsTranscribeSession.MIN_EVENT_BYTES]);
    }

    @Test
    void aNormalEndAfterACompleteResultButBeforeTheEndOfTheAudioIsAFailure() throws Exception {
        ScriptedClient client = new ScriptedClient();
        Heard heard = new Heard();
        AwsTranscribeSession session = open(client, heard);
        session.accept(audio());
        client.answer("r1", false, "one");
        session.accept(audio());
        // After the last accept, before finish: nothing is partial and the audio was answered.
        client.end();
        assertThatThrownBy(session::finish).isInstanceOf(RecognitionFailedException.class)
                .hasMessageContaining("before the end of the audio");
        assertThat(heard.finals).containsExactly("one");
    }

    @Test
    void aNormalEndAfterTheEndOfTheAudioFinishesTheSession() throws Exception {
        ScriptedClient client = new ScriptedClient();
        Heard heard = new Heard();
        AwsTranscribeSession session = open(client, heard);
        session.accept(audio());
        client.answer("r1", false, "one");
        Thread ender = client.endAfterTheAudio();
        session.finish();
        ender.join();
        assertThat(heard.finals).containsExactly("one");
    }

    @Test
    void aNormalEndAfterTheEndOfTheAudioWithAResultIdStillPartialIsAFailure() throws Exception {
        ScriptedClient client = new ScriptedClient();
        AwsTranscribeSession session = open(client, new Heard());
        session.accept(audio());
        client.answer("r1", true, "one");
        Thread ender = client.endAfterTheAudio();
        assertThatThrownBy(session::finish).isInstanceOf(RecognitionFailedException.class)
                .hasMessageContaining("still partial");
        ender.join();
    }
}
