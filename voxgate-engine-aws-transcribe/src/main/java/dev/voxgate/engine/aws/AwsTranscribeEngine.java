package dev.voxgate.engine.aws;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.engine.remote.RemoteProbe;
import dev.voxgate.engine.remote.RemoteSessionChecks;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.transcribestreaming.TranscribeStreamingAsyncClient;
import software.amazon.awssdk.services.transcribestreaming.TranscribeStreamingAsyncClientBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Amazon Transcribe streaming as an engine: each session is one {@code StartStreamTranscription} call (HTTP/2,
 * AWS event-stream, SigV4) through the AWS SDK's async client, sharing one Netty HTTP/2 client. Audio is sent as
 * 16 kHz PCM (the session layer resamples what clients send); partials (with partial-results stabilisation), finals
 * and word times come back through {@link AwsTranscribeCodec}.
 *
 * <p>Streaming Transcribe has no cheap readiness call, so {@link #isReady()} follows a {@link RemoteProbe} that checks
 * what a session needs before it could be refused: that the SDK's default chain resolves credentials, and that the
 * endpoint takes a TCP connection. Credentials that resolve but are refused show only when a session is refused (the
 * engine is then marked down until the next probe). Nothing here stops the server.
 */
public final class AwsTranscribeEngine implements StreamingEngine {
    static final int RATE = 16000;

    private final AwsTranscribeConfig config;
    private final TranscribeStreamingAsyncClient client;
    private final RemoteProbe probe;
    private final EngineDescriptor descriptor;

    /**
     * @param credentials the SDK's default chain in production; tests give static test credentials
     */
    AwsTranscribeEngine(AwsTranscribeConfig config, AwsCredentialsProvider credentials) {
        this.config = config;
        TranscribeStreamingAsyncClientBuilder b = TranscribeStreamingAsyncClient.builder()
                .region(config.region())
                .credentialsProvider(credentials)
                // A stream cannot be replayed (its audio is gone): a failed call is reported, and the session falls
                // back, rather than tried again.
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .connectionTimeout(config.connectTimeout())
                        .connectionAcquisitionTimeout(config.connectTimeout().plus(config.replyTimeout())));
        config.endpoint().ifPresent(b::endpointOverride);
        this.client = b.build();
        this.probe = new RemoteProbe("aws-transcribe", () -> downReason(credentials), config.probeInterval());
        Map<String, String> model = new LinkedHashMap<>();
        model.put("endpoint", config.safeEndpoint());
        model.put("region", config.region().id());
        model.put("credentials", "the AWS SDK's default chain");
        model.put("partialResultsStability", config.stability().toString());
        this.descriptor = new EngineDescriptor("aws-transcribe", "Amazon Transcribe streaming ("
                + config.safeEndpoint() + ")", "1", capabilities(config.languages()), model);
    }

    static EngineCapabilities capabilities(List<String> languages) {
        return new EngineCapabilities(true, true, true, List.of(RATE), RATE, languages);
    }

    /** The probe: credentials from the chain, then a TCP connection to the endpoint. */
    private Optional<String> downReason(AwsCredentialsProvider credentials) throws IOException {
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            return Optional.of(AwsTranscribeErrors.noCredentials());
        }
        URI uri = URI.create(config.safeEndpoint());
        int port = uri.getPort() > 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), port), (int) config.connectTimeout().toMillis());
        }
        return Optional.empty();
    }

    @Override
    public EngineDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public boolean isReady() {
        return probe.isUp();
    }

    @Override
    public Optional<String> unavailableReason() {
        return probe.unavailableReason();
    }

    @Override
    public RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
        RemoteSessionChecks.requireSupported("aws-transcribe", descriptor.capabilities(), options,
                "AWS_TRANSCRIBE_LANGUAGES");
        try {
            AwsTranscribeSession s = AwsTranscribeSession.open(config, client, options, listener);
            probe.reachable();
            return s;
        } catch (EngineUnavailableException e) {
            probe.unreachable(e.getMessage());
            throw e;
        }
    }

    @Override
    public void close() {
        probe.close();
        client.close();
    }
}
