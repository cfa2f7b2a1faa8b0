package dev.voxgate.engine.aws;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.util.List;
import java.util.Optional;

/**
 * The {@code aws-transcribe} engine. Settings: {@code AWS_REGION} (required; the server passes it to this engine by
 * name), {@code AWS_TRANSCRIBE_ENDPOINT}, {@code AWS_TRANSCRIBE_LANGUAGES}, {@code AWS_TRANSCRIBE_LANGUAGE_CODES},
 * {@code AWS_TRANSCRIBE_PARTIAL_STABILITY}, {@code AWS_TRANSCRIBE_CONNECT_TIMEOUT_MS},
 * {@code AWS_TRANSCRIBE_REPLY_TIMEOUT_MS}, {@code AWS_TRANSCRIBE_PROBE_INTERVAL_MS} (docs/engines.md); credentials
 * from the AWS SDK's default chain. Creating it needs neither Transcribe nor credentials: only a missing or malformed
 * setting fails it.
 */
public final class AwsTranscribeEngineProvider implements SpeechEngineProvider {
    @Override
    public String id() {
        return "aws-transcribe";
    }

    @Override
    public EngineCapabilities capabilities() {
        return AwsTranscribeEngine.capabilities(List.of("en"));
    }

    @Override
    public Optional<String> missingSettings(EngineContext context) {
        return context.setting("AWS_REGION").isPresent() ? Optional.empty() : Optional.of("AWS_REGION");
    }

    @Override
    public SpeechEngine create(EngineContext context) throws EngineException {
        return new AwsTranscribeEngine(AwsTranscribeConfig.from(context), DefaultCredentialsProvider.builder().build());
    }
}
