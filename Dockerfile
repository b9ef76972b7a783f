# Synthetic monitor image.
#   docker build -t synthetic .            (or: docker-compose build synthetic)
#   docker run -p 9190:9190 -e Synthetic__Targets__0__BaseUrl=http://api-server:7100 synthetic
# Serves /metrics, /status and /healthz on :9190. Configuration: see README.md (environment variables
# Synthetic__...; the license key from a file, e.g. a secret mounted at /run/secrets/license_key).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first (cached layer while only sources change).
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Synthetic/Synthetic.csproj Synthetic/
COPY Synthetic.StandIn/Synthetic.StandIn.csproj Synthetic.StandIn/
RUN dotnet restore Synthetic/Synthetic.csproj
COPY fixtures/ fixtures/
COPY Synthetic.StandIn/ Synthetic.StandIn/
COPY Synthetic/ Synthetic/
RUN dotnet publish Synthetic/Synthetic.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
ENV Synthetic__Listen=http://0.0.0.0:9190
# The non-root user of the .NET images.
USER $APP_UID
EXPOSE 9190
# The image has no curl or wget: bash's /dev/tcp asks the monitor's /healthz (200 while its checks
# keep completing, 503 when the scheduler is stuck).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9190 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Synthetic.dll"]
