package dev.voxgate.jobs.queue;

import com.sun.net.httpserver.HttpServer;
import org.jobrunr.dashboard.JobRunrApiHandler;
import org.jobrunr.dashboard.JobRunrSseHandler;
import org.jobrunr.dashboard.JobRunrStaticFileHandler;
import org.jobrunr.dashboard.server.HttpExchangeHandler;
import org.jobrunr.dashboard.server.http.RedirectHttpHandler;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.ThreadSafeStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * JobRunr's dashboard on 127.0.0.1 only. JobRunr's own {@code JobRunrDashboardWebServer} binds to
 * every interface and has no setting for the address, and the dashboard can delete and requeue
 * jobs without authentication; so its handlers are mounted here on a loopback-only server.
 * Operators reach it through an SSH tunnel.
 */
public final class LoopbackDashboard implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<HttpExchangeHandler> handlers;

    private LoopbackDashboard(HttpServer server, ExecutorService executor, List<HttpExchangeHandler> handlers) {
        this.server = server;
        this.executor = executor;
        this.handlers = handlers;
    }

    public static LoopbackDashboard start(StorageProvider storage, JsonMapper json, int port) throws IOException {
        StorageProvider safe = new ThreadSafeStorageProvider(storage);
        List<HttpExchangeHandler> handlers = List.of(
                new RedirectHttpHandler("/", "/dashboard"),
                new JobRunrStaticFileHandler(),
                new JobRunrApiHandler(safe, json, false),
                new JobRunrSseHandler(safe, json));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "voxgate-jobs-dashboard");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        for (HttpExchangeHandler h : handlers) server.createContext(h.getContextPath(), h);
        server.start();
        return new LoopbackDashboard(server, executor, handlers);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        for (HttpExchangeHandler h : handlers) {
            try {
                h.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
