package dev.voxgate.engine.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.Word;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrame;
import software.amazon.awssdk.eventstream.HeaderType;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Amazon Transcribe streaming (a paid service) that speaks its wire protocol as the real SDK sees it,
 * written from AWS's documentation ("Setting up a streaming transcription: HTTP/2", "Event stream encoding") and the
 * SDK's models: HTTP/2 without TLS (prior knowledge, as the SDK does with an {@code http://} endpoint), {@code POST
 * /stream-transcription} with the {@code x-amzn-transcribe-*} headers and a SigV4 {@code Authorization}, a request body
 * of event-stream messages each wrapping a signed {@code AudioEvent} message ({@code :date}, {@code :chunk-signature}
 * outside; {@code :message-type event}, {@code :event-type AudioEvent} inside), the empty signed message that ends the
 * audio, and a response of {@code TranscriptEvent} messages (JSON) or an exception message. Frames are encoded and
 * decoded with the SDK's own {@code software.amazon.awssdk.eventstream}. Signatures are not verified (there is no
 * secret to verify them with), but their framing and the access key are checked.
 *
 * <p>Recognition is the real Vosk engine, fed the PCM each stream carries: Vosk's partials become results with
 * {@code IsPartial=true} (Vosk times no partial words: their items carry the utterance's times so far, {@code Stable}
 * false), its finals one result with {@code IsPartial=false} and an item per word with Vosk's times and confidence.
 *
 * <p>A test can make it misbehave for the streams that start next ({@link #behave}): refuse them, break or stall them
 * after some audio, send a frame that does not parse. Netty's event loop only decodes frames and queues the audio;
 * Vosk runs on each stream's own thread.
 */
final class FakeTranscribe implements AutoCloseable {
    /** The access key the fake takes; any other is refused as AWS refuses an unknown key. */
    static final String ACCESS_KEY = "AKIAFAKETRANSCRIBE01";
    static final String SECRET_KEY = "fake-secret-for-the-tests-only";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LANGUAGES = Set.of("en-US", "en-GB", "en-AU");
    private static final Set<String> ENCODINGS = Set.of("pcm", "ogg-opus", "flac");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([a-z0-9-]+)/transcribe/aws4_request, "
                    + "SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

    /** How the next streams go. */
    sealed interface Behaviour {
        /** As Transcribe does. */
        record Normal() implements Behaviour {
        }

        /** Refuse the request with this HTTP status and {@code x-amzn-ErrorType}, as AWS refuses before streaming. */
        record Refuse(int status, String errorType, String message) implements Behaviour {
        }

        /** After {@code bytes} of audio, send an exception message ({@code :message-type exception}) and end. */
        record ExceptionAfter(long bytes, String exceptionType, String message) implements Behaviour {
        }

        /** After {@code bytes} of audio, drop the TCP connection (no HTTP/2 GOAWAY, no final). */
        record CloseAfter(long bytes) implements Behaviour {
        }

        /** After {@code bytes} of audio, take audio but answer nothing more and never end the stream. */
        record StallAfter(long bytes) implements Behaviour {
        }

        /** After {@code bytes} of audio, send a frame whose checksum is wrong. */
        record MalformedAfter(long bytes) implements Behaviour {
        }
    }

    private final StreamingEngine vosk;
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;
    private final AtomicInteger streams = new AtomicInteger();
    private volatile Behaviour behaviour = new Behaviour.Normal();

    private FakeTranscribe(StreamingEngine vosk) throws InterruptedException {
        this.vosk = vosk;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel stream) {
                                        stream.pipeline().addLast(new Stream());
                                    }
                                }));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    /** Listens on a free loopback port; recognises with {@code vosk} (not closed by {@link #close}). */
    static FakeTranscribe start(StreamingEngine vosk) throws InterruptedException {
        return new FakeTranscribe(vosk);
    }

    /** The {@code AWS_TRANSCRIBE_ENDPOINT} that reaches it. */
    String endpoint() {
        return "http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** How the streams that start from now on go. */
    void behave(Behaviour b) {
        behaviour = b;
    }

    /** How many streams were started (accepted or refused). */
    int streams() {
        return streams.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static byte[] eventMessage(String eventType, byte[] json) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", HeaderValue.fromString("event"));
        h.put(":event-type", HeaderValue.fromString(eventType));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        return new Message(h, json).toByteBuffer().array();
    }

    static byte[] exceptionMessage(String exceptionType, String message) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", HeaderValue.fromString("exception"));
        h.put(":exception-type", HeaderValue.fromString(exceptionType));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        ObjectNode body = JSON.createObjectNode().put("Message", message);
        return new Message(h, body.toString().getBytes(StandardCharsets.UTF_8)).toByteBuffer().array();
    }

    /** One HTTP/2 stream: one {@code StartStreamTranscription} call. */
    private final class Stream extends SimpleChannelInboundHandler<Http2StreamFrame> {
        private final MessageDecoder outer = new MessageDecoder();
        private ExecutorService recognizer;
        private RecognitionSession session;
        private Results results;
        private Behaviour mode;
        private long audioBytes;
        private int sampleRate;
        private boolean ended;
        private volatile boolean failed;
        private long fedBytes; // recognizer thread only
        // Results of the utterance in progress, on the recognizer thread only.
        private String resultId = UUID.randomUUID().toString();
        private double utteranceStart;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
            switch (frame) {
                case Http2HeadersFrame h -> headers(ctx, h.headers());
                case Http2DataFrame d -> data(ctx, d);
                default -> { }
            }
        }

        private void headers(ChannelHandlerContext ctx, Http2Headers h) {
            if (session != null || failed) return; // trailers, if a client sent any
            streams.incrementAndGet();
            mode = behaviour;
            if (!"POST".contentEquals(h.method()) || !"/stream-transcription".contentEquals(h.path())) {
                refuse(ctx, 404, "UnknownOperationException", "No operation at " + h.method() + " " + h.path());
                return;
            }
            Matcher auth = AUTHORIZATION.matcher(String.valueOf(h.get("authorization")));
            if (!auth.matches() || !auth.group(4).contains("x-amz-date")) {
                refuse(ctx, 403, "IncompleteSignatureException", "Authorization header requires 'Credential', "
                        + "'Signature' and 'SignedHeaders' parameters.");
                return;
            }
            if (!auth.group(1).equals(ACCESS_KEY)) {
                refuse(ctx, 403, "UnrecognizedClientException",
                        "The security token included in the request is invalid.");
                return;
            }
            if (!"STREAMING-AWS4-HMAC-SHA256-EVENTS".contentEquals(String.valueOf(h.get("x-amz-content-sha256")))) {
                refuse(ctx, 400, "BadRequestException", "x-amz-content-sha256 must be "
                        + "STREAMING-AWS4-HMAC-SHA256-EVENTS for an event stream");
                return;
            }
            String language = String.valueOf(h.get("x-amzn-transcribe-language-code"));
            String encoding = String.valueOf(h.get("x-amzn-transcribe-media-encoding"));
            String rate = String.valueOf(h.get("x-amzn-transcribe-sample-rate"));
            if (!LANGUAGES.contains(language)) {
                refuse(ctx, 400, "BadRequestException", "1 validation error detected: Value '" + language
                        + "' at 'languageCode' failed to satisfy constraint");
                return;
            }
            if (!ENCODINGS.contains(encoding)) {
                refuse(ctx, 400, "BadRequestException", "1 validation error detected: Value '" + encoding
                        + "' at 'mediaEncoding' failed to satisfy constraint");
                return;
            }
            try {
                sampleRate = Integer.parseInt(rate);
            } catch (NumberFormatException e) {
                sampleRate = 0;
            }
            if (sampleRate < 8000 || sampleRate > 48000 || !encoding.equals("pcm") || sampleRate != 16000) {
                // Vosk here takes 16 kHz PCM only; Transcribe takes more, and says so for what it does not.
                refuse(ctx, 400, "BadRequestException", "The sample rate " + rate + " Hz (" + encoding
                        + ") is not supported by this test server: it takes 16000 Hz pcm");
                return;
            }
            if (mode instanceof Behaviour.Refuse r) {
                refuse(ctx, r.status(), r.errorType(), r.message());
                return;
            }
            try {
                results = new Results(ctx);
                session = vosk.open(new SessionOptions(sampleRate, "en"), results);
            } catch (EngineException e) {
                refuse(ctx, 500, "InternalFailureException", "recognizer: " + e.getMessage());
                return;
            }
            recognizer = Executors.newSingleThreadExecutor(
                    r -> Thread.ofVirtual().name("fake-transcribe").unstarted(r));
            Http2Headers ok = new DefaultHttp2Headers().status("200")
                    .add("content-type", "application/vnd.amazon.eventstream")
                    .add("x-amzn-request-id", UUID.randomUUID().toString())
                    .add("x-amzn-transcribe-session-id", UUID.randomUUID().toString())
                    .add("x-amzn-transcribe-language-code", language)
                    .add("x-amzn-transcribe-sample-rate", rate)
                    .add("x-amzn-transcribe-media-encoding", encoding)
                    .add("x-amzn-transcribe-enable-partial-results-stabilization",
                            String.valueOf(h.get("x-amzn-transcribe-enable-partial-results-stabilization")))
                    .add("x-amzn-transcribe-partial-results-stability",
                            String.valueOf(h.get("x-amzn-transcribe-partial-results-stability")));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(ok, false));
        }

        private void refuse(ChannelHandlerContext ctx, int status, String type, String message) {
            failed = true;
            Http2Headers hs = new DefaultHttp2Headers().status(String.valueOf(status))
                    .add("content-type", "application/x-amz-json-1.1")
                    .add("x-amzn-requestid", UUID.randomUUID().toString())
                    .add("x-amzn-errortype", type + ":http://internal.amazon.com/coral/com.amazonaws.transcribe."
                            + "streaming/");
            ctx.write(new DefaultHttp2HeadersFrame(hs, false));
            byte[] body = JSON.createObjectNode().put("message", message).toString()
                    .getBytes(StandardCharsets.UTF_8);
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
        }

        private void data(ChannelHandlerContext ctx, Http2DataFrame d) {
            if (session == null || failed || ended) return;
            ByteBuf content = d.content();
            byte[] bytes = new byte[content.readableBytes()];
            content.readBytes(bytes);
            List<Message> messages = new ArrayList<>();
            try {
                outer.feed(bytes);
                messages.addAll(outer.getDecodedMessages());
            } catch (RuntimeException e) { // a frame that does not parse: Transcribe answers with BadRequest
                failWith(ctx, "BadRequestException", "Could not decode the audio stream: " + e.getMessage());
                return;
            }
            for (Message m : messages) {
                if (!signed(m)) {
                    failWith(ctx, "BadRequestException", "Each event must carry :date and :chunk-signature");
                    return;
                }
                if (m.getPayload().length == 0) { // the signed empty message: the end of the audio
                    ended = true;
                    recognizer.execute(() -> end(ctx));
                    return;
                }
                Message inner;
                try {
                    inner = Message.decode(ByteBuffer.wrap(m.getPayload()));
                } catch (RuntimeException e) {
                    failWith(ctx, "BadRequestException", "Could not decode an audio event: " + e.getMessage());
                    return;
                }
                if (!"event".equals(str(inner, ":message-type")) || !"AudioEvent".equals(str(inner, ":event-type"))) {
                    failWith(ctx, "BadRequestException", "Expected an AudioEvent, got " + inner.getHeaders());
                    return;
                }
                byte[] pcm = inner.getPayload();
                long before = audioBytes;
                audioBytes += pcm.length;
                if (misbehave(ctx, before)) return;
                if (!(mode instanceof Behaviour.StallAfter s && audioBytes > s.bytes())) {
                    recognizer.execute(() -> recognise(ctx, pcm));
                }
            }
        }

        /** Whether the mode acts once {@link #audioBytes} passes its mark; acts if so. */
        private boolean misbehave(ChannelHandlerContext ctx, long before) {
            switch (mode) {
                case Behaviour.ExceptionAfter x when before <= x.bytes() && audioBytes > x.bytes() -> {
                    failWith(ctx, x.exceptionType(), x.message());
                    return true;
                }
                case Behaviour.CloseAfter c when audioBytes > c.bytes() -> {
                    failed = true;
                    ctx.channel().parent().close();
                    return true;
                }
                case Behaviour.MalformedAfter m when before <= m.bytes() && audioBytes > m.bytes() -> {
                    byte[] frame = eventMessage("TranscriptEvent", "{\"Transcript\":{\"Results\":[]}}"
                            .getBytes(StandardCharsets.UTF_8));
                    frame[frame.length - 1] ^= 0x5a; // the message's CRC32 no longer matches
                    failed = true;
                    ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(frame), false));
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }

        private void failWith(ChannelHandlerContext ctx, String type, String message) {
            failed = true;
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(exceptionMessage(type, message)),
                    true));
        }

        private static boolean signed(Message m) {
            HeaderValue date = m.getHeaders().get(":date"), sig = m.getHeaders().get(":chunk-signature");
            return date != null && date.getType() == HeaderType.TIMESTAMP && sig != null
                    && sig.getType() == HeaderType.BYTE_ARRAY && sig.getByteArray().length == 32;
        }

        private static String str(Message m, String header) {
            HeaderValue v = m.getHeaders().get(header);
            return v == null || v.getType() != HeaderType.STRING ? null : v.getString();
        }

        private void recognise(ChannelHandlerContext ctx, byte[] pcm) {
            if (failed) return;
            fedBytes += pcm.length;
            results.sent = false;
            try {
                session.accept(new AudioChunk(pcm));
            } catch (EngineException | RuntimeException e) {
                failWith(ctx, "InternalFailureException", "recognizer: " + e.getMessage());
                return;
            }
            // Transcribe answers audio with TranscriptEvents whose Results are empty while nothing new is heard (in
            // silence, or when the guess did not change): the client sees the stream is alive.
            if (!results.sent && !results.stalled()) results.send(JSON.createObjectNode().set("Transcript",
                    JSON.createObjectNode().set("Results", JSON.createArrayNode())));
        }

        private void end(ChannelHandlerContext ctx) {
            if (failed) return;
            try {
                session.finish();
            } catch (EngineException | RuntimeException e) {
                failWith(ctx, "InternalFailureException", "recognizer: " + e.getMessage());
                return;
            }
            session.close();
            if (mode instanceof Behaviour.StallAfter) return; // never ends the stream
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            failed = true;
            if (recognizer != null) {
                recognizer.execute(() -> {
                    if (session != null) session.close();
                });
                recognizer.shutdown();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        /** Vosk's results as TranscriptEvents, written as they come (on the recognizer thread). */
        private final class Results implements RecognitionListener {
            private final ChannelHandlerContext ctx;
            private boolean sent; // recognizer thread only: an event went out for the current chunk

            Results(ChannelHandlerContext ctx) {
                this.ctx = ctx;
            }

            @Override
            public void onPartial(String text) {
                if (text.isBlank() || stalled()) return;
                double now = audioSeconds();
                ArrayNode items = JSON.createArrayNode();
                for (String w : text.strip().split("\\s+")) {
                    items.addObject().put("StartTime", utteranceStart).put("EndTime", now).put("Type", "pronunciation")
                            .put("Content", w).put("VocabularyFilterMatch", false).put("Stable", false);
                }
                send(result(true, utteranceStart, now, text.strip(), items));
            }

            @Override
            public void onFinal(Segment segment) {
                if (stalled()) return;
                ArrayNode items = JSON.createArrayNode();
                for (Word w : segment.words()) {
                    items.addObject().put("StartTime", w.start()).put("EndTime", w.end()).put("Type", "pronunciation")
                            .put("Content", w.word()).put("VocabularyFilterMatch", false)
                            .put("Confidence", w.confidence()).put("Stable", true);
                }
                send(result(false, segment.start(), segment.end(), segment.text(), items));
                resultId = UUID.randomUUID().toString();
                utteranceStart = segment.end();
            }

            private boolean stalled() {
                return failed || mode instanceof Behaviour.StallAfter s && fedBytes >= s.bytes();
            }

            private double audioSeconds() {
                return fedBytes / 2.0 / sampleRate;
            }

            private ObjectNode result(boolean partial, double start, double end, String text, ArrayNode items) {
                ObjectNode event = JSON.createObjectNode();
                ObjectNode r = event.putObject("Transcript").putArray("Results").addObject();
                r.put("ResultId", resultId).put("StartTime", start).put("EndTime", end).put("IsPartial", partial)
                        .put("ChannelId", "ch_0");
                ObjectNode alt = r.putArray("Alternatives").addObject();
                alt.put("Transcript", text);
                alt.set("Items", items);
                return event;
            }

            private void send(ObjectNode event) {
                sent = true;
                byte[] frame = eventMessage("TranscriptEvent", event.toString().getBytes(StandardCharsets.UTF_8));
                ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(frame), false));
            }
        }
    }
}
