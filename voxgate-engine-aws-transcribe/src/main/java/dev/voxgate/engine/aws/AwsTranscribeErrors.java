package dev.voxgate.engine.aws;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionFailedException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.transcribestreaming.model.BadRequestException;
import software.amazon.awssdk.services.transcribestreaming.model.LimitExceededException;
import software.amazon.awssdk.services.transcribestreaming.model.ServiceUnavailableException;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Transcribe's errors (exception events and HTTP refusals, as the SDK raises them) in Voxgate's catalogue. Refusals
 * another engine may not meet (could not connect, credentials refused, over capacity, throttled) are
 * {@code engine_unavailable}; broken streams and Transcribe's own failures are {@code engine_failure}. The messages
 * carry Transcribe's error code and message, never a credential.
 */
final class AwsTranscribeErrors {
    /** The error codes AWS answers for credentials it does not take (HTTP 403, or 400 for an expired token). */
    static final Set<String> AUTH_CODES = Set.of("UnrecognizedClientException", "InvalidSignatureException",
            "AccessDeniedException", "AccessDenied", "ExpiredTokenException", "InvalidClientTokenId",
            "MissingAuthenticationTokenException", "SignatureDoesNotMatch", "IncompleteSignatureException");

    private AwsTranscribeErrors() {
    }

    /** The stream could not start. Every kind is {@code engine_unavailable}: the session may go to another engine. */
    static EngineUnavailableException opening(AwsTranscribeConfig config, Throwable error) {
        Throwable e = unwrap(error);
        String where = " (" + config.safeEndpoint() + ")";
        if (e instanceof AwsServiceException s) {
            String code = code(s);
            if (overCapacity(s)) return overCapacity(config, s);
            if (AUTH_CODES.contains(code) || s.statusCode() == 401 || s.statusCode() == 403) {
                return new EngineUnavailableException("Amazon Transcribe refused the credentials" + where + ": " + code
                        + " (HTTP " + s.statusCode() + "); check the credentials the AWS SDK's default chain finds "
                        + "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, a container or instance role) and "
                        + "their transcribe:StartStreamTranscription permission");
            }
            if (s instanceof BadRequestException) {
                return new EngineUnavailableException("Amazon Transcribe refused the stream as a bad request" + where
                        + ": " + message(s) + "; check AWS_TRANSCRIBE_LANGUAGE_CODES and AWS_REGION");
            }
            return new EngineUnavailableException("Amazon Transcribe refused the stream" + where + ": " + code
                    + " (HTTP " + s.statusCode() + "): " + message(s));
        }
        if (e instanceof SdkClientException c && isCredentials(c)) {
            return new EngineUnavailableException(noCredentials());
        }
        if (hasCause(e, ConnectException.class)) {
            return new EngineUnavailableException("cannot connect to Amazon Transcribe" + where
                    + " (connection refused): check AWS_REGION and AWS_TRANSCRIBE_ENDPOINT");
        }
        if (hasCause(e, TimeoutException.class) || e.getClass().getSimpleName().contains("Timeout")) {
            return new EngineUnavailableException("Amazon Transcribe" + where + " did not accept a connection within "
                    + "AWS_TRANSCRIBE_CONNECT_TIMEOUT_MS=" + config.connectTimeout().toMillis());
        }
        return new EngineUnavailableException("cannot start an Amazon Transcribe stream" + where + ": "
                + describe(e), e);
    }

    /** The stream broke after it started: over capacity stays {@code engine_unavailable}, the rest is a failure. */
    static EngineException midStream(AwsTranscribeConfig config, Throwable error) {
        Throwable e = unwrap(error);
        String where = " (" + config.safeEndpoint() + ")";
        if (e instanceof AwsServiceException s) {
            if (overCapacity(s)) return overCapacity(config, s);
            return new RecognitionFailedException("Amazon Transcribe ended the stream with " + code(s) + where + ": "
                    + message(s), null);
        }
        if (hasCause(e, ClosedChannelException.class) || e instanceof SdkClientException) {
            return new RecognitionFailedException("the connection to Amazon Transcribe broke" + where + ": "
                    + describe(e), e);
        }
        return new RecognitionFailedException("the Amazon Transcribe stream failed" + where + ": " + describe(e), e);
    }

    /** Why the engine is down when the SDK's default chain finds no credentials; names the chain, not a value. */
    static String noCredentials() {
        return "no AWS credentials: the AWS SDK's default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the "
                + "aws.accessKeyId system property, AWS_WEB_IDENTITY_TOKEN_FILE, the AWS_PROFILE profile in "
                + "~/.aws, a container or instance role) found none";
    }

    static boolean isCredentials(SdkClientException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.contains("Unable to load credentials") || m.contains("credentials");
    }

    private static boolean overCapacity(AwsServiceException s) {
        return s instanceof LimitExceededException || s instanceof ServiceUnavailableException
                || s.isThrottlingException() || s.statusCode() == 429 || s.statusCode() == 503;
    }

    private static EngineUnavailableException overCapacity(AwsTranscribeConfig config, AwsServiceException s) {
        return new EngineUnavailableException("Amazon Transcribe is over capacity (" + code(s) + ": " + message(s)
                + ") at " + config.safeEndpoint() + "; its limit on concurrent streams may need raising");
    }

    private static String code(AwsServiceException s) {
        String c = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
        return c == null || c.isBlank() ? s.getClass().getSimpleName() : c;
    }

    private static String message(AwsServiceException s) {
        String m = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
        return m == null || m.isBlank() ? "no message" : m;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == e ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " caused by "
                + root.getClass().getSimpleName();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> kind) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.isInstance(t)) return true;
        }
        return false;
    }
}
