# syntax=docker/dockerfile:1
# idv-bff: built in the official Swift image, run on Debian slim with only the trust store it verifies ClientLoop with.
# scripts/verify-image.sh checks the runtime stage without a Docker engine (a debootstrap root filesystem with
# exactly the packages below); keep the two in step.

FROM swift:6.3.1-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libevent-dev libssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest and the pinned versions first: the dependency layer survives source changes.
COPY Package.swift Package.resolved ./
RUN swift package resolve
COPY . .
# One static PIE (the Swift runtime, Foundation, libevent, OpenSSL and the C library linked in): the runtime image
# needs none of their packages.
RUN install -D -m 0755 "$(scripts/release-build.sh)" /out/idv-bff

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin idv-bff
COPY --from=build /out/idv-bff /usr/local/bin/idv-bff
USER 10001:10001
ENV HTTP_HOST=0.0.0.0 HTTP_PORT=8080
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["/usr/local/bin/idv-bff", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/idv-bff"]
