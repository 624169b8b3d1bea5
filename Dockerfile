# One image for every AyaQC process (server nodes, workers): the `ayaqc` CLI.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/AyaQC.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY qualification-sets /app/qualification-sets
ENV Qualification__SetsPath=/app/qualification-sets
ENTRYPOINT ["dotnet", "ayaqc.dll"]
