# One image for every AyaQC process (server nodes, workers): the `ayaqc` CLI. Two targets:
#   default (last stage, `cpu`): ONNX Runtime's CPU package, on the ASP.NET runtime image;
#   `gpu`: the CUDA 13 package (-p:AyaQCGpu=true) on a CUDA 13 + cuDNN 9 runtime base, for back-translation workers
#          (`docker build --target gpu .`; docker-compose.yml's gpu-worker builds it).
# No Docker engine on the project's machines: tests/AyaQC.Server.Tests/DockerComposeTests.cs keeps this file and
# docker-compose.yml consistent, and the images were not built here.
ARG CUDA_IMAGE=nvidia/cuda:13.0.0-cudnn-runtime-ubuntu24.04

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/AyaQC.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build-gpu
WORKDIR /src
COPY . .
RUN dotnet publish src/AyaQC.Cli -c Release -p:AyaQCGpu=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS dotnet-runtime

FROM ${CUDA_IMAGE} AS gpu
# The .NET runtime from Microsoft's image; CUDA 13, cuBLAS and cuDNN 9 come with the base.
COPY --from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build-gpu /app .
COPY qualification-sets /app/qualification-sets
ENV Qualification__SetsPath=/app/qualification-sets
ENTRYPOINT ["dotnet", "ayaqc.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS cpu
WORKDIR /app
COPY --from=build /app .
COPY qualification-sets /app/qualification-sets
ENV Qualification__SetsPath=/app/qualification-sets
ENTRYPOINT ["dotnet", "ayaqc.dll"]
