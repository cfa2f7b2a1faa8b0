package dev.voxgate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port in front of a real server, for failure tests of remote engines: it can refuse
 * connections (the remote is down), come back on the same port, cut every connection (the remote died), cut a
 * connection once the client has sent some bytes through it (a close mid-utterance), and stall (a remote that stops
 * answering). Bytes are relayed unchanged otherwise. Platform threads, two per connection; closed by
 * try-with-resources.
 */
public final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile boolean stalled;
    private volatile long cutAfterClientBytes = Long.MAX_VALUE;
    /** Bumped by {@link #cutAfterClientBytes}: connections count their bytes from the latest arming. */
    private volatile int armed;

    private TcpProxy(int targetPort, ServerSocket listener) {
        this.targetPort = targetPort;
        this.listener = listener;
        this.port = listener.getLocalPort();
        acceptLoop(listener);
    }

    /** A relay on a free loopback port to {@code 127.0.0.1:targetPort}, accepting connections. */
    public static TcpProxy start(int targetPort) throws IOException {
        return new TcpProxy(targetPort, bind(0));
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    public int port() {
        return port;
    }

    /** Stops listening and cuts every connection: connections are refused until {@link #comeBack()}. */
    public synchronized void goDown() throws IOException {
        ServerSocket l = listener;
        listener = null;
        if (l != null) l.close();
        cutAll();
    }

    /** Listens again on the same port. */
    public synchronized void comeBack() throws IOException {
        if (listener != null) return;
        ServerSocket l = bind(port);
        listener = l;
        acceptLoop(l);
    }

    /** Cuts every open connection (both sides see a reset or an end of stream). */
    public void cutAll() {
        for (Socket s : sockets) closeQuietly(s);
        sockets.clear();
    }

    /**
     * Cuts the first connection that carries more than {@code bytes} from client to server from now on, once;
     * connections that carry less are left alone.
     */
    public synchronized void cutAfterClientBytes(long bytes) {
        armed++;
        cutAfterClientBytes = bytes;
    }

    /** Back to relaying everything: no stall, no cut armed. */
    public void heal() {
        stalled = false;
        cutAfterClientBytes = Long.MAX_VALUE;
    }

    /** While stalled, nothing is relayed in either direction (connections stay open). */
    public void stall(boolean on) {
        stalled = on;
    }

    private void acceptLoop(ServerSocket l) {
        Thread.ofPlatform().daemon().name("tcp-proxy-accept-" + port).start(() -> {
            while (!l.isClosed()) {
                try {
                    Socket client = l.accept();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    client.setTcpNoDelay(true);
                    server.setTcpNoDelay(true);
                    sockets.add(client);
                    sockets.add(server);
                    pump(client, server, true);
                    pump(server, client, false);
                } catch (IOException e) {
                    if (l.isClosed()) return;
                }
            }
        });
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread.ofPlatform().daemon().name("tcp-proxy-pump-" + port).start(() -> {
            byte[] buf = new byte[8192];
            long carried = 0;
            int seen = armed;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (stalled && !from.isClosed()) Thread.sleep(5);
                    if (seen != armed) {
                        seen = armed;
                        carried = 0;
                    }
                    carried += n;
                    if (fromClient && carried > cutAfterClientBytes) {
                        cutAfterClientBytes = Long.MAX_VALUE;
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away, or the connection was cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0); // a reset, as when a process dies
            s.close();
        } catch (SocketException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closed already
            }
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() throws IOException {
        goDown();
    }
}
