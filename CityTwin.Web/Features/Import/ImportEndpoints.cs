using System.Text;
using System.Text.Json;
using CityTwin.Web.Features.Interop;
using CityTwin.Web.Features.Registry;
using CityTwin.Web.Features.Security;
using Microsoft.AspNetCore.Mvc;

namespace CityTwin.Web.Features.Import;

public static class ImportEndpoints
{
    /// <summary>
    /// <c>POST /api/imports</c> (multipart: <c>file</c>, <c>format</c> ngsi-ld|geojson|csv, <c>assetType</c>,
    /// <c>mapping</c> (a saved mapping's name or a JSON mapping), <c>sourceCrs</c>, <c>mode</c> dryrun|commit,
    /// <c>allOrNothing</c>, <c>allowOutsideExtent</c>, <c>context</c>) → the import report as JSON, or its rows as CSV
    /// with <c>Accept: text/csv</c>. Needs an API key with write scope.
    /// </summary>
    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder app)
    {
        // The request may be the configured file size plus the other form fields.
        var limit = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Infrastructure.ImportOptions>>().Value.MaxFileBytes + (1024 * 1024);
        app.MapPost("/api/imports", ImportAsync)
            .RequireAuthorization(p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, "write"))
            .DisableAntiforgery() // machine clients authenticate with a Bearer key, never a cookie
            .WithMetadata(new RequestSizeLimitAttribute(limit))
            .WithFormOptions(multipartBodyLengthLimit: limit)
            .WithTags("Import");
        return app;
    }

    private static async Task<IResult> ImportAsync(HttpContext context, ImportService imports, ImportMappingStore mappings)
    {
        if (!context.Request.HasFormContentType)
        {
            return Problem("Send multipart/form-data with a 'file' field.", "Not a form", StatusCodes.Status415UnsupportedMediaType);
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return Problem(e.Message, "Unreadable form", StatusCodes.Status400BadRequest);
        }

        var file = form.Files["file"];
        if (file is null)
        {
            return Problem("The form has no 'file' field.", "No file", StatusCodes.Status400BadRequest);
        }

        if (file.Length > imports.MaxFileBytes)
        {
            return Problem($"The file is larger than {imports.MaxFileBytes / 1024 / 1024} MB (CityTwin:Import:MaxFileMegabytes).", "File too large", StatusCodes.Status413PayloadTooLarge);
        }

        if (!ImportFormats.TryParse(form["format"], out var format) && !ImportFormats.TryGuess(file.FileName, [], out format))
        {
            return Problem("format must be one of: ngsi-ld, geojson, csv.", "Invalid format", StatusCodes.Status400BadRequest);
        }

        var modeText = form["mode"].ToString().ToLowerInvariant();
        if (modeText is not ("" or "dryrun" or "dry-run" or "commit"))
        {
            return Problem("mode must be dryrun or commit.", "Invalid mode", StatusCodes.Status400BadRequest);
        }

        ImportMapping? mapping = null;
        if (form["mapping"].ToString() is { Length: > 0 } mappingText)
        {
            if (mappingText.TrimStart().StartsWith('{'))
            {
                try
                {
                    mapping = JsonSerializer.Deserialize<ImportMapping>(mappingText, ImportMappingStore.Json);
                }
                catch (JsonException e)
                {
                    return Problem($"The mapping is not valid JSON: {e.Message}", "Invalid mapping", StatusCodes.Status400BadRequest);
                }
            }
            else
            {
                mapping = await mappings.FindAsync(mappingText, context.RequestAborted);
                if (mapping is null)
                {
                    return Problem($"There is no saved mapping named '{mappingText}'.", "Unknown mapping", StatusCodes.Status400BadRequest);
                }
            }
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, context.RequestAborted);
        }

        var request = new ImportRequest
        {
            Format = format,
            Mode = modeText == "commit" ? ImportMode.Commit : ImportMode.DryRun,
            FileName = Path.GetFileName(file.FileName),
            AssetType = form["assetType"].ToString() is { Length: > 0 } t ? t : null,
            Mapping = mapping,
            SourceCrs = form["sourceCrs"].ToString() is { Length: > 0 } crs ? crs : null,
            ContextUrl = form["context"].ToString() is { Length: > 0 } ctx ? ctx : null,
            AllOrNothing = IsTrue(form["allOrNothing"]),
            AllowOutsideExtent = IsTrue(form["allowOutsideExtent"]),
            ValidateSchemas = form["validateSchemas"].ToString() is not ("false" or "0"),
        };
        var report = await imports.RunAsync(bytes, request, RegistryCommands.ActorOf(context.User), ct: context.RequestAborted);
        var status = report.FileError is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity;
        if (context.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Text(ImportReportCsv.Write(report), "text/csv; charset=utf-8", Encoding.UTF8, status);
        }

        return Results.Json(report, ImportMappingStore.Json, statusCode: status);
    }

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is "true" or "1" or "on" or "yes";

    private static IResult Problem(string detail, string title, int status) => Results.Problem(detail, statusCode: status, title: title);
}

/// <summary>The row-by-row report as CSV (UTF-8 with BOM so spreadsheets read accents; formula-safe cells).</summary>
public static class ImportReportCsv
{
    public static string Write(ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append('\uFEFF');
        sb.AppendLine("row,entity id,outcome,field,value,reason,severity");
        var outcomes = report.Rows.GroupBy(r => r.Row).ToDictionary(g => g.Key, g => g.First().Outcome);
        if (report.FileError is not null)
        {
            sb.AppendLine(string.Join(',', "", "", "Rejected", "file", "", ExportService.Cell(report.FileError), "error"));
        }

        foreach (var issue in report.Issues)
        {
            sb.AppendLine(string.Join(',',
                issue.Row.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ExportService.Cell(issue.EntityId),
                outcomes.TryGetValue(issue.Row, out var o) ? o.ToString() : "",
                ExportService.Cell(issue.Field),
                ExportService.Cell(issue.Value),
                ExportService.Cell(issue.Reason),
                issue.Warning ? "warning" : "error"));
        }

        return sb.ToString();
    }
}
