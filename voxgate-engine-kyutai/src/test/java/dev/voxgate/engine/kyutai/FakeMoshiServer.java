package dev.voxgate.engine.kyutai;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.Resampler;
import io.javalin.Javalin;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Kyutai's moshi-server with a batched streaming ASR module ({@code BatchedAsr} of
 * {@code rust/moshi-server}), speaking its wire protocol byte for byte: the key in the {@code kyutai-api-key} header or
 * the {@code auth_id} query parameter (HTTP 401 before the upgrade otherwise); binary msgpack frames both ways, maps
 * written as {@code rmp_serde} writes serde's internally tagged enums ({@code "type"} first, then the fields in
 * declaration order, 64-bit floats for times, 32-bit for VAD probabilities, integers in their smallest form);
 * {@code Ready} once a batch slot is taken, or {@code Error{"no free channels"}} and a close without a status when the
 * batch is full; one model step per 1920 samples (80 ms at 24 kHz), each answered with a {@code Step}; a
 * {@code Marker} sent back when the audio before it has been stepped through plus the model's delay; a frame that is
 * not one of its messages ends the connection without a close frame, as its receive loop's error does.
 *
 * <p>Recognition is the real Vosk engine's, in-process: the 24 kHz floats received are resampled to 16 kHz and fed to
 * a Vosk session; the words of each Vosk final become {@code Word} (its start) and {@code EndWord} (its stop), times
 * in seconds of this connection's audio quantised to model steps, each sent {@link #DELAY_STEPS} steps after the step
 * of the time it carries (as moshi's text stream runs that far behind the audio) or as soon as Vosk has it. At a
 * marker the Vosk session is finished (all audio before the marker transcribed, as moshi's marker promises) and a new
 * one continues. {@code Step.prs} (4 pause heads) is high while Vosk hears no speech in progress.
 *
 * <p>Paths: {@code /api/asr-streaming} behaves; {@code /small/...} has a batch of one slot (capacity);
 * {@code /stall/...}, {@code /cut/...} and {@code /malformed/...} misbehave after {@link #MISBEHAVE_AFTER_STEPS}
 * steps: stop answering (and reading), drop the connection mid-utterance, or answer a frame that is not msgpack.
 * One instance per test JVM ({@link Recognizer#moshi()}); nothing here runs on a test's thread.
 */
public final class FakeMoshiServer implements AutoCloseable {
    static final String KEY = "public_token";
    static final int FRAME = 1920;
    /** stt-1b-en_fr's {@code asr_delay_in_tokens}: its words come half a second behind the audio. */
    static final int DELAY_STEPS = 6;
    static final int MISBEHAVE_AFTER_STEPS = 12 + 38; // the client's second of lead-in, then about three seconds
    private static final double STEP_SECONDS = 0.08;
    private static final List<String> MODES = List.of("", "/small", "/stall", "/cut", "/malformed");

    private final StreamingEngine vosk;
    private final Set<String> authorizedIds;
    private final Semaphore slots;
    private final Semaphore smallSlots = new Semaphore(1);
    private final Javalin http;
    final AtomicInteger connections = new AtomicInteger();

    FakeMoshiServer(StreamingEngine vosk, Set<String> authorizedIds, int batchSize) {
        this.vosk = vosk;
        this.authorizedIds = Set.copyOf(authorizedIds);
        this.slots = new Semaphore(batchSize);
        this.http = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            for (String mode : MODES) {
                cfg.routes.get(mode + "/api/build_info", ctx -> ctx.json(Map.of("git_describe", "fake")));
            }
            cfg.jetty.modifyServletContextHandler(h -> {
                for (String mode : MODES) {
                    h.addServlet(new ServletHolder(new AsrServlet()), mode + "/api/asr-streaming");
                }
            });
        }).start();
    }

    int port() {
        return http.port();
    }

    String url(String mode) {
        return "ws://127.0.0.1:" + port() + mode + "/api/asr-streaming";
    }

    @Override
    public void close() {
        http.stop();
    }

    private final class AsrServlet extends JettyWebSocketServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void configure(JettyWebSocketServletFactory factory) {
            factory.setMaxBinaryMessageSize(16 << 20);
            factory.setCreator((req, res) -> {
                // The header first, then ?auth_id= (browsers cannot set headers), as moshi-server's router does.
                String id = req.getHeader("kyutai-api-key");
                if (id == null) {
                    List<String> q = req.getParameterMap().get("auth_id");
                    id = q == null || q.isEmpty() ? null : q.getFirst();
                }
                if (id == null || !authorizedIds.contains(id)) {
                    try {
                        res.sendError(401, "");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                }
                String path = req.getRequestURI().getPath();
                String mode = path.substring(0, path.length() - "/api/asr-streaming".length());
                return new Channel(mode, mode.equals("/small") ? smallSlots : slots);
            });
        }
    }

    /** A queued message, sent at the end of step {@code due}; {@code seq} keeps equal steps in order. */
    private record Due(long due, long seq, byte[] message) {
    }

    /** One connection: a batch slot, its Vosk session, its step counter. Jetty calls it one frame at a time. */
    /** Public: Jetty calls a listener's methods through method handles. */
    public final class Channel implements Session.Listener.AutoDemanding, RecognitionListener {
        private final String mode;
        private final Semaphore pool;
        private boolean slot;
        private Session session;
        private final Resampler to16k = new Resampler(24000, 16000);
        private float[] data = new float[4 * FRAME];
        private int buffered;
        private long steps;
        private long samplesIn;
        private long samplesStepped;
        private RecognitionSession recognizer;
        private double recognizerOffset;
        private boolean speaking;
        private long seq;
        private final PriorityQueue<Due> outbox = new PriorityQueue<>((a, b) -> a.due != b.due
                ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
        /** Markers: the sample count they wait for, then their id. */
        private final List<long[]> markers = new ArrayList<>();
        private boolean silent;

        Channel(String mode, Semaphore pool) {
            this.mode = mode;
            this.pool = pool;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            connections.incrementAndGet();
            if (!pool.tryAcquire()) {
                send(map("Error", "message", "no free channels"));
                s.close(StatusCode.NO_CODE, null, Callback.NOOP);
                return;
            }
            slot = true;
            try {
                recognizer = vosk.open(new SessionOptions(16000, "en"), this);
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
            send(map("Ready"));
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            try {
                if (!silent) receive(bytes);
            } catch (IOException | RuntimeException | EngineException e) {
                // moshi-server's receive loop ends on a frame it cannot read, and the connection goes with it
                release();
                session.disconnect();
            } finally {
                callback.succeed(); // only now the next frame: one frame at a time, in order
            }
        }

        private void receive(byte[] bytes) throws IOException, EngineException {
            try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
                int n = u.unpackMapHeader();
                String type = null;
                float[] pcm = null;
                Long id = null;
                for (int i = 0; i < n; i++) {
                    String key = u.unpackString();
                    switch (key) {
                        case "type" -> type = u.unpackString();
                        case "pcm" -> {
                            int len = u.unpackArrayHeader();
                            pcm = new float[len];
                            for (int k = 0; k < len; k++) {
                                if (u.getNextFormat().getValueType() != ValueType.FLOAT) {
                                    throw new IOException("pcm must be floats");
                                }
                                pcm[k] = (float) u.unpackDouble();
                            }
                        }
                        case "id" -> id = u.unpackLong();
                        default -> throw new IOException("unknown field " + key);
                    }
                }
                if (u.hasNext()) throw new IOException("trailing bytes");
                switch (String.valueOf(type)) {
                    case "Audio" -> audio(pcm);
                    case "Marker" -> markers.add(new long[] {samplesIn, id});
                    case "Init" -> { }
                    default -> throw new IOException("not an InMsg: " + type);
                }
            }
        }

        private void audio(float[] pcm) throws EngineException {
            if (pcm == null) throw new IllegalArgumentException("Audio without pcm");
            if (data.length - buffered < pcm.length) {
                data = Arrays.copyOf(data, Math.max(2 * data.length, buffered + pcm.length));
            }
            System.arraycopy(pcm, 0, data, buffered, pcm.length);
            buffered += pcm.length;
            samplesIn += pcm.length;
            while (buffered >= FRAME && !silent && session.isOpen()) step();
        }

        /** One model step: 80 ms into Vosk, due messages out, then the Step. */
        private void step() throws EngineException {
            short[] pcm = new short[FRAME];
            for (int i = 0; i < FRAME; i++) pcm[i] = Pcm16.clip(data[i] * 32768f);
            System.arraycopy(data, FRAME, data, 0, buffered - FRAME);
            buffered -= FRAME;
            short[] s16 = to16k.process(pcm, 0, pcm.length);
            if (s16.length > 0) recognizer.accept(new AudioChunk(Pcm16.toBytes(s16)));
            samplesStepped += FRAME;
            steps++;
            while (!markers.isEmpty() && markers.getFirst()[0] <= samplesStepped) {
                long id = markers.removeFirst()[1];
                // Everything before the marker transcribed: Vosk's last words now, then a fresh session goes on.
                recognizer.finish();
                recognizer.close();
                recognizerOffset = (samplesStepped) / 24000.0;
                recognizer = vosk.open(new SessionOptions(16000, "en"), this);
                queue(steps + DELAY_STEPS, map("Marker", "id", id));
            }
            if (steps == MISBEHAVE_AFTER_STEPS && misbehave()) return;
            for (Due d = outbox.peek(); d != null && d.due <= steps; d = outbox.peek()) send(outbox.poll().message);
            float p = speaking || !outbox.isEmpty() ? 0.03f : 0.92f;
            send(stepMessage(steps, new float[] {p, p, p, p}, buffered));
        }

        private boolean misbehave() {
            switch (mode) {
                case "/stall" -> {
                    silent = true; // no more answers, and nothing more read
                    return true;
                }
                case "/cut" -> {
                    release();
                    session.disconnect();
                    return true;
                }
                case "/malformed" -> {
                    send(new byte[] {(byte) 0xc1, 0x00}); // 0xc1 is never used by msgpack
                    return false;
                }
                default -> {
                    return false;
                }
            }
        }

        @Override
        public void onPartial(String text) {
            speaking = !text.isBlank();
        }

        @Override
        public void onFinal(Segment segment) {
            speaking = false;
            for (var w : segment.words()) {
                double start = quantise(recognizerOffset + w.start()), stop = quantise(recognizerOffset + w.end());
                queue(Math.round(start / STEP_SECONDS) + DELAY_STEPS, map("Word", "text", w.word(), "start_time",
                        start));
                queue(Math.round(stop / STEP_SECONDS) + DELAY_STEPS, map("EndWord", "stop_time", stop));
            }
        }

        private double quantise(double seconds) {
            return Math.round(seconds / STEP_SECONDS) * STEP_SECONDS;
        }

        private void queue(long due, byte[] message) {
            outbox.add(new Due(due, seq++, message));
        }

        private void send(byte[] message) {
            if (session.isOpen()) session.sendBinary(ByteBuffer.wrap(message), Callback.NOOP);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            release();
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            release();
        }

        private synchronized void release() {
            if (recognizer != null) recognizer.close();
            recognizer = null;
            if (slot) pool.release();
            slot = false;
        }
    }

    // ---- moshi-server's OutMsg as rmp_serde writes it (with_struct_map): a map, "type" first

    static byte[] map(String type, Object... fields) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(1 + fields.length / 2);
            p.packString("type").packString(type);
            for (int i = 0; i < fields.length; i += 2) {
                p.packString((String) fields[i]);
                switch (fields[i + 1]) {
                    case String s -> p.packString(s);
                    case Double d -> p.packDouble(d);
                    case Long l -> p.packLong(l);
                    default -> throw new IllegalArgumentException(String.valueOf(fields[i + 1]));
                }
            }
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] stepMessage(long stepIdx, float[] prs, long bufferedPcm) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(4);
            p.packString("type").packString("Step");
            p.packString("step_idx").packLong(stepIdx);
            p.packString("prs").packArrayHeader(prs.length);
            for (float f : prs) p.packFloat(f);
            p.packString("buffered_pcm").packLong(bufferedPcm);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
