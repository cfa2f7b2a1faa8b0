package dev.voxgate.engine.whisperlive;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.server.TestEngines;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WhisperLive server for the tests, speaking its WebSocket protocol as {@code whisper_live/server.py} and
 * {@code backend/base.py} do: it reads the options JSON first, answers {@code WAIT} (then closes) when
 * {@code maxClients} sessions are open, else {@code SERVER_READY} with backend {@code faster_whisper}, a language
 * message when none was asked for, and after each float32 frame the window of the last {@code send_last_n_segments}
 * completed segments plus the incomplete one, re-sent every time; {@code END_OF_AUDIO} (a binary frame) ends the
 * session with a close. A text frame after the options ends it as the real server's failing
 * {@code np.frombuffer} does.
 *
 * <p>Recognition is the real Vosk engine, fed the frames converted back to PCM16: Vosk's finals become completed
 * segments (times from its word times, text with Whisper's leading space), its partial the incomplete segment (from
 * the end of the last completed one to the audio received). The real server's transcription thread runs behind the
 * audio; this one decodes each frame as it arrives and, at {@code END_OF_AUDIO}, sends what the last pass over the
 * remaining audio gave as the incomplete segment before it closes, as a server that had caught up would.
 *
 * <p>Faults for the failure tests: {@code disconnectAfterSeconds} stands in for {@code max_connection_time} (counted
 * in audio received rather than wall time, so a test streaming faster than real time hits it mid-stream):
 * {@code DISCONNECT}, then the close; {@code malformedAfterSeconds} sends a segments message whose segments are not a
 * list; {@code basicAuth} puts a proxy in front that refuses the upgrade with 401 without that exact
 * {@code Authorization} header. Recognition runs on one thread per session, never on Jetty's.
 */
final class FakeWhisperLive implements AutoCloseable {
    record Faults(int maxClients, String basicAuth, double disconnectAfterSeconds, double malformedAfterSeconds) {
        static Faults none() {
            return new Faults(16, null, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        }

        Faults maxClients(int n) {
            return new Faults(n, basicAuth, disconnectAfterSeconds, malformedAfterSeconds);
        }

        Faults basicAuth(String header) {
            return new Faults(maxClients, header, disconnectAfterSeconds, malformedAfterSeconds);
        }

        Faults disconnectAfter(double seconds) {
            return new Faults(maxClients, basicAuth, seconds, malformedAfterSeconds);
        }

        Faults malformedAfter(double seconds) {
            return new Faults(maxClients, basicAuth, disconnectAfterSeconds, seconds);
        }
    }

    private static FakeWhisperLive shared;

    private final Faults faults;
    private final Javalin app;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final AtomicInteger sessionsServed = new AtomicInteger();

    private FakeWhisperLive(Faults faults) {
        this.faults = faults;
        TestEngines.vosk(); // the model is loaded before the server listens, as a server with a preloaded model
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            if (faults.basicAuth() != null) {
                cfg.jetty.modifyServletContextHandler(h -> h.addFilter(new FilterHolder(new AuthProxy(
                        faults.basicAuth())), "/*", EnumSet.of(DispatcherType.REQUEST)));
            }
            cfg.routes.ws("/", ws -> {
                ws.onMessage(ctx -> onText(ctx, ctx.message()));
                ws.onBinaryMessage(ctx -> onBinary(ctx, ctx.data()));
                ws.onClose(ctx -> drop(ctx.sessionId()));
                ws.onError(ctx -> drop(ctx.sessionId()));
            });
        }).start();
    }

    static FakeWhisperLive start(Faults faults) {
        return new FakeWhisperLive(faults);
    }

    /** The one healthy server of the test JVM, shared by the test classes (Vosk's model is loaded once). */
    static synchronized FakeWhisperLive shared() {
        if (shared == null) shared = start(Faults.none());
        return shared;
    }

    String url() {
        return "ws://127.0.0.1:" + app.port();
    }

    int port() {
        return app.port();
    }

    int sessionsServed() {
        return sessionsServed.get();
    }

    private void onText(WsContext ctx, String text) {
        Client known = clients.get(ctx.sessionId());
        if (known != null) { // the real server reads every later frame as audio and fails on text: it closes
            known.run(known::close);
            return;
        }
        WhisperLiveOptions options;
        try {
            options = WhisperLiveCodec.decodeOptions(text);
        } catch (IllegalArgumentException e) { // "Failed to decode JSON from client": the handler returns
            ctx.closeSession();
            return;
        }
        Client c;
        synchronized (clients) {
            if (clients.size() >= faults.maxClients()) {
                ctx.send(WhisperLiveCodec.encode(new WhisperLiveMessage.Wait(options.uid(), 9.5)));
                ctx.closeSession();
                return;
            }
            c = new Client(ctx, options);
            clients.put(ctx.sessionId(), c);
        }
        sessionsServed.incrementAndGet();
        c.run(c::ready);
    }

    private void onBinary(WsContext ctx, ByteBuffer data) {
        Client c = clients.get(ctx.sessionId());
        if (c == null) { // audio before the options: json.loads fails and the server returns
            ctx.closeSession();
            return;
        }
        if (WhisperLiveCodec.isEndOfAudio(data)) {
            c.run(c::endOfAudio);
            return;
        }
        byte[] pcm = WhisperLiveCodec.toPcm16(data);
        c.run(() -> c.audio(pcm));
    }

    private void drop(String sessionId) {
        Client c = clients.remove(sessionId);
        if (c != null) c.run(c::cleanup);
    }

    /** One session: its Vosk stream, its completed segments and its incomplete one; touched on its own thread. */
    private final class Client implements RecognitionListener {
        private final WsContext ctx;
        private final WhisperLiveOptions options;
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final List<WhisperLiveSegment> transcript = new ArrayList<>();
        private RecognitionSession vosk;
        private String partial = "";
        private long samples;
        private boolean gone;

        Client(WsContext ctx, WhisperLiveOptions options) {
            this.ctx = ctx;
            this.options = options;
        }

        void run(Runnable r) {
            try {
                thread.execute(() -> {
                    if (!gone) r.run();
                });
            } catch (RejectedExecutionException e) {
                // the session is gone
            }
        }

        void ready() {
            try {
                vosk = TestEngines.vosk().open(new SessionOptions(16000, null), this);
            } catch (EngineException e) {
                send(new WhisperLiveMessage.Status(options.uid(), "ERROR", "model failed to load: " + e.getMessage()));
                close();
                return;
            }
            send(new WhisperLiveMessage.ServerReady(options.uid(), "faster_whisper"));
        }

        void audio(byte[] pcm) {
            double before = seconds();
            samples += pcm.length / 2;
            if (seconds() > faults.disconnectAfterSeconds()) { // is_client_timeout: DISCONNECT, cleanup, close
                send(new WhisperLiveMessage.Disconnect(options.uid()));
                close();
                return;
            }
            if (seconds() > faults.malformedAfterSeconds()) {
                ctx.send("{\"uid\":\"" + options.uid() + "\",\"segments\":\"hello\"}");
                return;
            }
            try {
                vosk.accept(new AudioChunk(pcm));
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
            if (options.language() == null && before == 0) {
                send(new WhisperLiveMessage.Language(options.uid(), "en", 0.98));
            }
            sendWindow(null);
        }

        void endOfAudio() {
            partial = "";
            List<WhisperLiveSegment> before = new ArrayList<>(transcript);
            try {
                vosk.finish();
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
            // What the last pass gave is not completed: no audio follows it.
            WhisperLiveSegment last = transcript.size() > before.size() ? transcript.removeLast() : null;
            if (last != null) {
                sendWindow(new WhisperLiveSegment(last.start(), last.end(), last.text(), false));
            }
            close();
        }

        /** prepare_segments: the last n completed segments, then the incomplete one. */
        private void sendWindow(WhisperLiveSegment incomplete) {
            List<WhisperLiveSegment> window = new ArrayList<>(transcript.subList(
                    Math.max(0, transcript.size() - options.sendLastNSegments()), transcript.size()));
            if (incomplete != null) {
                window.add(incomplete);
            } else if (!partial.isEmpty()) {
                double from = transcript.isEmpty() ? 0 : transcript.getLast().end();
                window.add(new WhisperLiveSegment(from, Math.max(from, seconds()), " " + partial, false));
            }
            if (!window.isEmpty()) send(new WhisperLiveMessage.Segments(options.uid(), window));
        }

        @Override
        public void onPartial(String text) {
            partial = text;
        }

        @Override
        public void onFinal(Segment segment) {
            partial = "";
            transcript.add(new WhisperLiveSegment(segment.start(), segment.end(), " " + segment.text(), true));
        }

        private double seconds() {
            return samples / 16000.0;
        }

        private void send(WhisperLiveMessage m) {
            ctx.send(WhisperLiveCodec.encode(m));
        }

        private void close() {
            cleanup();
            ctx.closeSession();
        }

        void cleanup() {
            gone = true;
            clients.values().remove(this);
            if (vosk != null) vosk.close();
            thread.shutdown();
        }
    }

    /** A proxy in front of the server that wants basic auth, as Caddy's {@code basic_auth} does. */
    private static final class AuthProxy extends HttpFilter {
        private static final long serialVersionUID = 1L;
        private final String expected;

        AuthProxy(String expected) {
            this.expected = expected;
        }

        @Override
        protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            if (!expected.equals(req.getHeader("Authorization"))) {
                res.setHeader("WWW-Authenticate", "Basic realm=\"whisperlive\"");
                res.sendError(401);
                return;
            }
            chain.doFilter(req, res);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
