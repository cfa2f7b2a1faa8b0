package dev.voxgate.engine.aws;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.server.TestEngines;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.util.HashMap;
import java.util.Map;

/**
 * The remote of these tests: one {@link FakeTranscribe} per test JVM, recognising with the real Vosk engine (its model
 * loaded once and shared), and engines pointed at it through {@code AWS_TRANSCRIBE_ENDPOINT}.
 */
final class Recognizer {
    /** The fake's own key pair: test credentials that mean nothing anywhere else. */
    static final AwsCredentialsProvider TEST_CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(FakeTranscribe.ACCESS_KEY, FakeTranscribe.SECRET_KEY));

    private Recognizer() {
    }

    static synchronized FakeTranscribe fake() {
        return Shared.FAKE;
    }

    /** An engine pointing at {@code endpoint}, with these extra settings and credentials; the caller closes it. */
    static AwsTranscribeEngine engine(String endpoint, Map<String, String> extra, AwsCredentialsProvider credentials)
            throws EngineException {
        Map<String, String> s = new HashMap<>(Map.of("AWS_REGION", "us-east-1", "AWS_TRANSCRIBE_ENDPOINT", endpoint,
                "AWS_TRANSCRIBE_PROBE_INTERVAL_MS", "200", "AWS_TRANSCRIBE_CONNECT_TIMEOUT_MS", "2000",
                "AWS_TRANSCRIBE_REPLY_TIMEOUT_MS", "30000"));
        s.putAll(extra);
        return new AwsTranscribeEngine(AwsTranscribeConfig.from(new EngineContext(s, TestEngines.cacheDir())),
                credentials);
    }

    static AwsTranscribeEngine engine(Map<String, String> extra) throws EngineException {
        return engine(fake().endpoint(), extra, TEST_CREDENTIALS);
    }

    static AwsTranscribeEngine shared() {
        return Shared.ENGINE;
    }

    private static final class Shared {
        static final FakeTranscribe FAKE;
        static final AwsTranscribeEngine ENGINE;

        static {
            try {
                FAKE = FakeTranscribe.start(TestEngines.vosk());
                ENGINE = engine(Map.of());
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
