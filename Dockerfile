# Tessera in a container: the NativeAOT binary on a slim Debian 12 (bookworm) with libvips and ffmpeg.
#   docker build -t tessera .
#   docker run -p 8080:8080 -v tessera-data:/data -v /srv/photos:/libraries/photos:ro tessera --library photos=/libraries/photos
# Not built on the project's CI machines (they have no Docker engine); tests check its structure.

# Build stage. Debian 12 rather than the .NET 10 SDK images (Ubuntu 24.04 or Debian 13): a native binary needs a glibc no
# newer than the runtime stage's. The SDK comes from Microsoft's install script; clang and zlib1g-dev link the binary.
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl clang zlib1g-dev libicu72 \
 && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh \
 && bash /tmp/dotnet-install.sh --channel 10.0 --install-dir /usr/share/dotnet \
 && ln -s /usr/share/dotnet/dotnet /usr/local/bin/dotnet
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props Tessera.slnx ./
COPY src/ src/
RUN case "$(dpkg --print-architecture)" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) echo "unsupported architecture" >&2; exit 1 ;; esac \
 && dotnet publish src/Tessera.Cli/Tessera.Cli.csproj -c Release -r "$rid" -p:PublishAot=true -o /out \
 && rm -f /out/*.dbg

# Runtime stage: the binary and what it loads as shared libraries (libvips, SQLite, ICU) and runs (ffmpeg).
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libvips42 ffmpeg libsqlite3-0 libicu72 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /data --no-create-home --shell /usr/sbin/nologin tessera \
 && install -d -o tessera -g tessera -m 0750 /data
COPY --from=build /out/tessera /usr/local/bin/tessera
ENV TESSERA__Data=/data \
    TESSERA__Urls=http://0.0.0.0:8080 \
    MALLOC_ARENA_MAX=2
VOLUME ["/data"]
EXPOSE 8080
USER tessera
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/tessera", "serve"]
