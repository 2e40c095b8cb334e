# Build: the Swift toolchain image; run: a slim Debian with only libsqlite3 and the binary.
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

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data pilar && mkdir -p /data && chown pilar /data
COPY --from=build /pilar /usr/local/bin/pilar
USER pilar
WORKDIR /data
VOLUME ["/data"]
ENV PILAR_HOST=0.0.0.0 PILAR_PORT=8080 PILAR_DB=/data/pilar.db
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["pilar"]
CMD ["serve"]
