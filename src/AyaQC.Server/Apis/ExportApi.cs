using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Core.Datasets;
using AyaQC.Server.Auth;
using AyaQC.Storage.Datasets;
using AyaQC.Storage.Filtering;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>
/// The filtered dataset for pipelines (admin or pipeline token): rows in the Aya dataset's shape plus QC columns,
/// streamed as JSON Lines or CSV in file order. Every record carries its <c>cursor</c>; passing the last one received
/// resumes the export right after that row, so an interrupted download continues without gaps or repeats.
/// </summary>
public static class ExportApi
{
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/datasets/{id}/export", ExportDataset).WithTags("Export").RequireAuthorization(Roles.Export)
            .WithSummary("Stream the dataset's rows with their decisions (decision=keep|drop|review|all, default keep; format=ndjson|csv, default ndjson), " +
                         "in file order from after cursor; limit caps the rows sent.")
            .Produces<ExportRecord>(StatusCodes.Status200OK, "application/x-ndjson", "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public const string CsvHeader = "id,inputs,targets,language,language_code,annotation_type,user_id,decision,overridden,p_good,votes,chrf,hter,reasons,model_signature,cursor";

    /// <summary>A cursor is a row's seq as text (0 or absent = from the start); null when it is not one.</summary>
    public static long? ParseCursor(string? cursor) =>
        cursor is null ? 0 : long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;

    public static async Task<Results<ExportStream, ProblemHttpResult>> ExportDataset(string id, string? format, string? decision, string? cursor,
        long? limit, DatasetStore datasets, DecisionStore decisions, CancellationToken ct)
    {
        var csv = format?.Trim().ToLowerInvariant() switch
        {
            null or "ndjson" or "jsonl" => (bool?)false,
            "csv" => true,
            _ => null,
        };
        if (csv is null) return Problems.Invalid("format", $"'{format}' is not an export format: use ndjson (JSON Lines) or csv");
        var wanted = decision?.Trim().ToLowerInvariant() ?? Decisions.Keep;
        if (wanted != "all" && !Decisions.All.Contains(wanted)) return Problems.Invalid("decision", $"'{decision}' is not keep, drop, review or all");
        if (ParseCursor(cursor) is not { } after) return Problems.Invalid("cursor", "is not a cursor from this export (use the cursor field of the last record received)");
        if (limit is < 1) return Problems.Invalid("limit", "must be at least 1");
        if (await datasets.GetAsync(id, ct) is null) return Problems.NotFound("dataset", id);
        return new ExportStream(c => decisions.OpenExportAsync(id, after, wanted == "all" ? null : wanted, limit, c), csv.Value);
    }

    /// <summary>Turns an export row into the published record (the Aya shape and the QC columns; the JSON Lines export
    /// writes the same bytes with <see cref="ExportJsonWriter"/>).</summary>
    public static ExportRecord Record(ExportRow r)
    {
        var metadata = new ExportMetadata();
        metadata.Read(r.MetadataJson is null ? [] : Encoding.UTF8.GetBytes(r.MetadataJson));
        var (userId, annotation) = metadata.Strings();
        return new ExportRecord(r.RowId, r.Source, AyaShape.Targets(r.Translation, r.PostEdit), AyaShape.LanguageName(r.TargetLang),
            AyaShape.LanguageCode(r.TargetLang), AyaShape.AnnotationType(annotation, r.PostEdit), userId, r.Decision, r.Overridden,
            r.PGood, r.Votes, r.ChrF, r.Hter, r.Reasons, r.Signature, r.Seq.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Writes the rows as they come from the database reader: nothing is held beyond the output buffer.</summary>
    public sealed class ExportStream(Func<CancellationToken, Task<ExportReader>> open, bool csv) : IResult
    {
        const int FlushBytes = 64 * 1024;

        public Task ExecuteAsync(HttpContext http)
        {
            var response = http.Response;
            response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
            response.Headers.CacheControl = "no-store";
            return WriteAsync(open, csv, response.BodyWriter, http.RequestAborted);
        }

        /// <summary>Writes the export's bytes to <paramref name="pipe"/> (the response body; the bench also times it
        /// into a null stream to separate writing from HTTP).</summary>
        public static async Task WriteAsync(Func<CancellationToken, Task<ExportReader>> open, bool csv, PipeWriter pipe, CancellationToken ct)
        {
            await using var rows = await open(ct);
            if (csv) WriteCsvLine(pipe, CsvHeader);
            var writer = new ExportJsonWriter();
            var pending = 0L;
            while (await rows.ReadAsync(ct))
            {
                if (csv) WriteCsvLine(pipe, CsvLine(Record(rows.Row())));
                else
                {
                    writer.Write(pipe, rows);
                    pipe.Write("\n"u8);
                }
                if (pipe.UnflushedBytes - pending < FlushBytes) continue;
                var flushed = await pipe.FlushAsync(ct);
                if (flushed.IsCanceled || flushed.IsCompleted) return;
                pending = pipe.UnflushedBytes;
            }
            await pipe.FlushAsync(ct);
        }

        static void WriteCsvLine(IBufferWriter<byte> pipe, string line)
        {
            var span = pipe.GetSpan(Encoding.UTF8.GetMaxByteCount(line.Length) + 1);
            var n = Encoding.UTF8.GetBytes(line, span);
            span[n] = (byte)'\n';
            pipe.Advance(n + 1);
        }
    }

    public static string CsvLine(ExportRecord r)
    {
        var b = new StringBuilder(256);
        void Field(string? value, bool last = false)
        {
            if (value is not null)
            {
                if (value.AsSpan().IndexOfAny(",\"\r\n") < 0) b.Append(value);
                else b.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
            }
            if (!last) b.Append(',');
        }
        static string? N(double? x) => x?.ToString("R", CultureInfo.InvariantCulture);
        Field(r.Id); Field(r.Inputs); Field(r.Targets); Field(r.Language); Field(r.LanguageCode); Field(r.AnnotationType); Field(r.UserId);
        Field(r.Decision); Field(r.Overridden ? "true" : "false"); Field(N(r.PGood)); Field(r.Votes?.ToString(CultureInfo.InvariantCulture));
        Field(N(r.ChrF)); Field(N(r.Hter)); Field(r.Reasons); Field(r.ModelSignature); Field(r.Cursor, last: true);
        return b.ToString();
    }
}
