/**
 * The {@code aws-transcribe} engine: Amazon Transcribe streaming through the AWS SDK v2 ({@code transcribestreaming},
 * HTTP/2 and AWS event-stream over the SDK's Netty client). The SDK owns the wire format; {@link
 * dev.voxgate.engine.aws.AwsTranscribeCodec} maps its transcript events onto partials and finals (pure functions),
 * {@link dev.voxgate.engine.aws.AwsTranscribeSession} is the client, {@link dev.voxgate.engine.aws.AwsTranscribeEngine}
 * the thin adapter onto the SPI.
 */
package dev.voxgate.engine.aws;
