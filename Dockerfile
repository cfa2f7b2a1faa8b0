# Voxgate's container image: the self-contained distribution (bin/voxgate + jlink runtime) on a slim Debian.
#
#   mvn -B -ntp -DskipTests package          # builds voxgate-dist/target/voxgate-*-linux-x86_64.tar.gz
#   docker build -t voxgate .                # or: podman build --format docker -t voxgate .
#   docker run -p 8080:8080 -v voxgate-data:/var/lib/voxgate voxgate
#
# BASE_IMAGE: any glibc Debian/Ubuntu root; nothing is installed into it (no Java, no curl, no desktop libraries).
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BASE_IMAGE} AS prepared
# ADD unpacks the archive. `voxgate prepare` then unpacks the bundled models and FFmpeg's natives into the cache
# and loads every engine once, so a container is ready in seconds and a broken build fails here, not at run time.
ADD voxgate-dist/target/voxgate-*-linux-x86_64.tar.gz /opt/dist/
RUN mv /opt/dist/voxgate-* /opt/voxgate \
 && VOXGATE_CACHE_DIR=/opt/voxgate/cache /opt/voxgate/bin/voxgate prepare
# Only /opt/voxgate is copied out of this stage, so what prepare leaves elsewhere never reaches the image.

FROM ${BASE_IMAGE}
RUN groupadd --system --gid 10001 voxgate \
 && useradd --system --uid 10001 --gid voxgate --home-dir /var/lib/voxgate --shell /usr/sbin/nologin voxgate \
 && install -d -o voxgate -g voxgate -m 0750 /var/lib/voxgate
# Owned by root and read-only for the service: the models and natives are never written after the build.
COPY --from=prepared /opt/voxgate /opt/voxgate

ENV PATH=/opt/voxgate/bin:$PATH \
    VOXGATE_CACHE_DIR=/opt/voxgate/cache \
    DATA_DIR=/var/lib/voxgate \
    HOST=0.0.0.0 \
    PORT=8080 \
    LOG_FORMAT=json
USER voxgate
WORKDIR /var/lib/voxgate
# Jobs database, uploads and transcripts.
VOLUME ["/var/lib/voxgate"]
EXPOSE 8080
# `voxgate health` asks /ready (model loaded, job database up) and needs no curl in the image.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["voxgate", "health", "--quiet"]
# The JVM runs as PID 1 (exec in bin/voxgate): SIGTERM runs the shutdown hook, which stops taking new sessions,
# lets open ones receive the finals of the audio they sent (SHUTDOWN_GRACE_MS, 10 s), then exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["voxgate"]
CMD ["serve"]
