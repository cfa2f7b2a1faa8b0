package dev.voxgate.server.guard;

import dev.voxgate.server.config.ConfigException;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import java.net.URI;
import java.time.Duration;

/**
 * The one Redis connection ({@code REDIS_URL}) the guard shares between nodes: rate-limit buckets (Bucket4j's
 * compare-and-swap proxy) and WebSocket tokens. Lettuce reconnects by itself when Redis comes back.
 */
final class RedisState implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;

    private RedisState(RedisClient client, StatefulRedisConnection<String, byte[]> connection) {
        this.client = client;
        this.connection = connection;
    }

    /** Connects now, so a wrong URL or a Redis that is down stops start-up instead of the first request. */
    static RedisState connect(URI url) {
        RedisURI target = RedisURI.create(url);
        target.setTimeout(Duration.ofSeconds(2));
        RedisClient client = RedisClient.create(target);
        try {
            StatefulRedisConnection<String, byte[]> c = client.connect(RedisCodec.of(StringCodec.UTF8,
                    ByteArrayCodec.INSTANCE));
            c.sync().ping();
            return new RedisState(client, c);
        } catch (RedisException e) {
            client.shutdown();
            throw new ConfigException("REDIS_URL: Redis at " + url.getHost() + ":" + url.getPort()
                    + " cannot be reached: " + e.getMessage());
        }
    }

    ProxyManager<String> buckets() {
        return Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .build();
    }

    StatefulRedisConnection<String, byte[]> connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
