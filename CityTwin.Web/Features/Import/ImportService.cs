using System.Diagnostics;
using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;
using CityTwin.Domain.History;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Geo;
using CityTwin.Web.Features.JsonLd;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Import;

/// <summary>How far a long import is.</summary>
public readonly record struct ImportProgress(string Phase, int Done, int Total);

/// <summary>
/// Runs an import: reads the file (NGSI-LD, GeoJSON or CSV), maps every record to a draft, checks it against the
/// registry (domain rules, districts, the city's extent, the existing asset for merge) and reports new / updated /
/// unchanged / rejected with the row-by-row issues. A commit then saves the accepted records through
/// <see cref="AssetStore.SaveImportAsync"/> in one transaction with provenance and history; the same file imported
/// twice changes nothing the second time.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<CityTwinDbContext> dbFactory,
    AssetStore store,
    NgsiLdImportReader ngsiLd,
    ContextResolver contexts,
    TimeProvider time,
    ILogger<ImportService> logger,
    Microsoft.Extensions.Options.IOptions<Infrastructure.ImportOptions> options)
{
    /// <summary>The largest file accepted (bytes): <c>CityTwin:Import:MaxFileMegabytes</c>.</summary>
    public long MaxFileBytes { get; } = options.Value.MaxFileBytes;

    public async Task<ImportReport> RunAsync(ReadOnlyMemory<byte> bytes, ImportRequest request, ChangeActor actor,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var clock = Stopwatch.StartNew();
        var report = new ImportReport { FileName = request.FileName, Format = request.Format, Mode = request.Mode };
        if (bytes.Length == 0)
        {
            return report with { FileError = "The file is empty." };
        }

        if (bytes.Length > MaxFileBytes)
        {
            return report with { FileError = $"The file is larger than {MaxFileBytes / 1024 / 1024} MB." };
        }

        List<AssetDraft> drafts;
        CrsTransform crs;
        try
        {
            (drafts, crs) = await ReadDraftsAsync(bytes, request, progress, ct);
        }
        catch (ImportFileException e)
        {
            return report with { FileError = e.Message, Seconds = clock.Elapsed.TotalSeconds };
        }
        catch (UnknownCrsException e)
        {
            return report with { FileError = e.Message, Seconds = clock.Elapsed.TotalSeconds };
        }

        var readSeconds = clock.Elapsed.TotalSeconds;
        var (writes, rows) = await CheckAsync(drafts, request, actor, progress, ct);
        var checkSeconds = clock.Elapsed.TotalSeconds - readSeconds;
        var issues = drafts.SelectMany(d => d.Issues).OrderBy(i => i.Row).ThenBy(i => i.Warning).ToList();
        var rejected = rows.Count(r => r.Outcome == ImportOutcome.Rejected);
        report = report with
        {
            Total = rows.Count,
            New = rows.Count(r => r.Outcome == ImportOutcome.New),
            Updated = rows.Count(r => r.Outcome == ImportOutcome.Updated),
            Unchanged = rows.Count(r => r.Outcome == ImportOutcome.Unchanged),
            Rejected = rejected,
            Issues = issues,
            Rows = rows,
            SourceCrs = $"EPSG:{crs.Epsg} {crs.Name}",
        };
        if (request.Mode == ImportMode.Commit && writes.Count > 0 && !(request.AllOrNothing && rejected > 0))
        {
            var batch = Guid.NewGuid().ToString("N")[..12];
            var context = new ChangeContext(actor, ChangeOperations.Import, $"Import of {Clip(request.FileName)}", batch);
            try
            {
                var save = new Progress<int>(n => progress?.Report(new ImportProgress("Saving", n, writes.Count)));
                await store.SaveImportAsync(writes, context, save, ct);
            }
            catch (AssetConcurrencyException e)
            {
                return report with
                {
                    FileError = $"Asset {e.Current.Id} was changed by someone else after the dry run; nothing was imported. Run the import again.",
                    Seconds = clock.Elapsed.TotalSeconds,
                };
            }

            logger.LogInformation("Import {File} by {Actor}: {New} new, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected in {Seconds:0.0} s (batch {Batch})",
                request.FileName, actor.Name, report.New, report.Updated, report.Unchanged, rejected, clock.Elapsed.TotalSeconds, batch);
            report = report with { Committed = true, BatchId = batch };
        }

        return report with
        {
            Seconds = clock.Elapsed.TotalSeconds,
            Timings = new ImportTimings(readSeconds, checkSeconds, clock.Elapsed.TotalSeconds - readSeconds - checkSeconds),
        };
    }

    private static string Clip(string s) => s.Length > 200 ? s[..200] : s;

    private async Task<(List<AssetDraft>, CrsTransform)> ReadDraftsAsync(ReadOnlyMemory<byte> bytes, ImportRequest request,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        if (request.Format == ImportFormat.NgsiLd)
        {
            var crs = CoordinateSystems.ToWgs84(request.SourceCrs is { Length: > 0 } s ? s : "EPSG:4326");
            var entities = NgsiLdImportReader.ReadEntities(bytes);
            var drafts = new AssetDraft[entities.Count];
            var done = 0;
            // Entities are independent: read them on every core (the parsed document and the context cache are safe to share).
            await Parallel.ForAsync(0, entities.Count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount },
                async (i, token) =>
                {
                    drafts[i] = await ngsiLd.ReadAsync(entities[i], i + 1, request, crs, token);
                    if (Interlocked.Increment(ref done) % 2000 == 0)
                    {
                        progress?.Report(new ImportProgress("Reading", done, entities.Count));
                    }
                });
            return ([.. drafts], crs);
        }

        var file = TabularFile.Read(request.Format, bytes);
        var crsText = request.SourceCrs is { Length: > 0 } chosen ? chosen : file.DeclaredCrs ?? "EPSG:4326";
        var transform = CoordinateSystems.ToWgs84(crsText);
        var mapping = request.Mapping ?? TabularMapper.Suggest(file, request.AssetType, request.FileName);
        if (request.AssetType is { Length: > 0 } type && mapping.TypeColumn is null)
        {
            mapping = mapping with { AssetType = type };
        }

        var cityTwin = contexts.CityTwinDefault;
        var result = new List<AssetDraft>(file.Rows.Count);
        foreach (var row in file.Rows)
        {
            result.Add(TabularMapper.Map(file, row, mapping, transform, cityTwin));
        }

        return (result, transform);
    }

    private async Task<(List<AssetImportWrite>, List<ImportRowResult>)> CheckAsync(List<AssetDraft> drafts, ImportRequest request, ChangeActor actor,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var (districts, areas, extent) = await CityAsync(ct);
        var existing = await ExistingAsync(drafts.Where(d => !d.HasErrors && d.Id is not null).Select(d => d.Id!).Distinct().ToList(), ct);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var writes = new List<AssetImportWrite>();
        var rows = new List<ImportRowResult>(drafts.Count);
        var provenanceSource = "import: " + Clip(request.FileName);
        await WarnAboutMissingTargetsAsync(drafts, existing, ct);
        foreach (var draft in drafts)
        {
            // In file order: the first record with an id wins.
            if (draft.Id is not null && !draft.HasErrors)
            {
                if (seen.TryGetValue(draft.Id, out var firstRow))
                {
                    draft.Error("id", draft.Id, $"The same record as row {firstRow} (same id): only the first is imported.");
                }
                else
                {
                    seen[draft.Id] = draft.Row;
                }
            }
        }

        // Each record is checked on its own (domain rules, district, extent, diff against the registry): on every core.
        var outcomes = new (ImportRowResult Row, AssetImportWrite? Write)[drafts.Count];
        var done = 0;
        Parallel.For(0, drafts.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            outcomes[i] = Check(drafts[i], request, actor, existing, districts, areas, extent, now, today, provenanceSource);
            if (Interlocked.Increment(ref done) % 2000 == 0)
            {
                progress?.Report(new ImportProgress("Checking", done, drafts.Count));
            }
        });
        foreach (var (row, write) in outcomes)
        {
            rows.Add(row);
            if (write is not null)
            {
                writes.Add(write);
            }
        }

        return (writes, rows);
    }

    private static (ImportRowResult, AssetImportWrite?) Check(AssetDraft draft, ImportRequest request, ChangeActor actor,
        Dictionary<string, Asset> existing, HashSet<string> districts, List<(string Code, AssetGeometry Boundary)> areas, GeoBounds? extent,
        DateTimeOffset now, DateOnly today, string provenanceSource)
    {
        if (draft.District is { IsSet: true, Value: { } district } && !districts.Contains(district))
        {
            draft.Error("district", district, $"Unknown district '{district}' (districts: {string.Join(", ", districts.Order())}).");
        }

        if (draft.Geometry is { } geometry && ImportGeometry.CheckExtent(geometry, extent) is { } problem)
        {
            if (request.AllowOutsideExtent && !problem.Swapped)
            {
                draft.Warn("geometry", null, problem.Reason);
            }
            else
            {
                draft.Error("geometry", null, problem.Reason);
            }
        }

        if (draft.HasErrors)
        {
            return (new ImportRowResult(draft.Row, draft.Id, draft.Name, ImportOutcome.Rejected, 0), null);
        }

        var before = existing.GetValueOrDefault(draft.Id!);
        if (before is not null && draft.Type is { } claimed && claimed.Name != before.Type.Name)
        {
            draft.Error("type", claimed.Name, $"The id {draft.Id} belongs to a {before.Type.Label.ToLowerInvariant()} ({before.Type.Name}) in the registry, not a {claimed.Name}.");
            return (new ImportRowResult(draft.Row, draft.Id, draft.Name, ImportOutcome.Rejected, 0), null);
        }

        try
        {
            var working = before is null ? null : Asset.FromState(before.ToState());
            var asset = draft.ApplyTo(working, now, today);
            if (asset.DistrictCode is null && asset.Geometry is { } located &&
                areas.FirstOrDefault(a => a.Boundary.Covers(located.Anchor)) is { Code: { } derived })
            {
                // No district in the file: the district whose boundary holds the asset.
                asset.AssignTo(asset.Department, derived);
            }

            var changes = before is null ? AssetStore.CreationChanges(asset) : AssetDiff.Compare(before.ToState(), asset.ToState());
            if (before is not null && changes.Count == 0)
            {
                return (new ImportRowResult(draft.Row, draft.Id, asset.Name, ImportOutcome.Unchanged, 0), null);
            }

            asset.RecordProvenance(new Provenance(provenanceSource, now, actor.Name, $"row {draft.Row}"));
            return (new ImportRowResult(draft.Row, draft.Id, asset.Name, before is null ? ImportOutcome.New : ImportOutcome.Updated, changes.Count),
                new AssetImportWrite(asset, before?.Version, changes));
        }
        catch (DomainException e)
        {
            draft.Error(e.Field ?? "entity", null, e.Message);
            return (new ImportRowResult(draft.Row, draft.Id, draft.Name, ImportOutcome.Rejected, 0), null);
        }
    }

    /// <summary>
    /// Relationships whose target is neither in the registry nor in the file are kept (NGSI-LD allows them; the target
    /// may come later) but named in the report as warnings.
    /// </summary>
    private async Task WarnAboutMissingTargetsAsync(List<AssetDraft> drafts, Dictionary<string, Asset> existing, CancellationToken ct)
    {
        var inFile = drafts.Where(d => d.Id is not null && !d.HasErrors).Select(d => d.Id!).ToHashSet(StringComparer.Ordinal);
        var unknown = drafts.Where(d => !d.HasErrors).SelectMany(d => d.Links.Values).SelectMany(t => t)
            .Where(t => !inFile.Contains(t) && !existing.ContainsKey(t)).ToHashSet(StringComparer.Ordinal);
        if (unknown.Count == 0)
        {
            return;
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            foreach (var chunk in unknown.ToList().Chunk(500))
            {
                var found = await db.Assets.AsNoTracking().Where(a => chunk.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
                unknown.ExceptWith(found);
            }
        }

        foreach (var draft in drafts.Where(d => !d.HasErrors))
        {
            foreach (var (iri, targets) in draft.Links)
            {
                foreach (var target in targets.Where(unknown.Contains))
                {
                    draft.Warn(Interop.CityTwinContext.Compact(iri), target,
                        "No asset with this id in the registry or in this file: the relationship is kept and resolves when that asset is added.");
                }
            }
        }
    }

    private async Task<Dictionary<string, Asset>> ExistingAsync(List<string> ids, CancellationToken ct)
    {
        var result = new Dictionary<string, Asset>(StringComparer.Ordinal);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Which ids exist (index lookups only), then the full records of those: a file of new assets loads nothing.
        var found = new List<string>();
        foreach (var chunk in ids.Chunk(500))
        {
            found.AddRange(await db.Assets.AsNoTracking().Where(a => chunk.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct));
        }

        foreach (var chunk in found.Chunk(500))
        {
            var records = await db.Assets.AsNoTracking().Include(a => a.Links).Where(a => chunk.Contains(a.Id)).ToListAsync(ct);
            foreach (var record in records)
            {
                result[record.Id] = AssetMapper.ToDomain(record);
            }
        }

        return result;
    }

    /// <summary>District codes and boundaries, and the city's extent: the districts' bounds (else the assets') with a margin.</summary>
    private async Task<(HashSet<string> Districts, List<(string Code, AssetGeometry Boundary)> Areas, GeoBounds? Extent)> CityAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var districts = await db.Districts.AsNoTracking().OrderBy(d => d.Code)
            .Select(d => new { d.Code, d.Boundary, d.MinLon, d.MinLat, d.MaxLon, d.MaxLat }).ToListAsync(ct);
        double? w = null, s = null, e = null, n = null;
        if (districts.Count > 0)
        {
            (w, s, e, n) = (districts.Min(d => d.MinLon), districts.Min(d => d.MinLat), districts.Max(d => d.MaxLon), districts.Max(d => d.MaxLat));
        }
        else
        {
            var bounds = await db.Assets.AsNoTracking().Where(a => a.MinLon != null)
                .GroupBy(_ => 1)
                .Select(g => new { W = g.Min(a => a.MinLon), S = g.Min(a => a.MinLat), E = g.Max(a => a.MaxLon), N = g.Max(a => a.MaxLat) })
                .FirstOrDefaultAsync(ct);
            (w, s, e, n) = (bounds?.W, bounds?.S, bounds?.E, bounds?.N);
        }

        GeoBounds? extent = null;
        if (w is { } west && s is { } south && e is { } east && n is { } north)
        {
            var mx = Math.Max((east - west) * 0.25, 0.02);
            var my = Math.Max((north - south) * 0.25, 0.02);
            extent = new GeoBounds(Math.Max(-180, west - mx), Math.Max(-90, south - my), Math.Min(180, east + mx), Math.Min(90, north + my));
        }

        var areas = new List<(string, AssetGeometry)>();
        foreach (var d in districts)
        {
            try
            {
                areas.Add((d.Code, GeoJson.Read(d.Boundary)));
            }
            catch (Exception error) when (error is DomainException or System.Text.Json.JsonException)
            {
                logger.LogWarning("District {Code} has an unreadable boundary: {Message}", d.Code, error.Message);
            }
        }

        return (districts.Select(d => d.Code).ToHashSet(StringComparer.Ordinal), areas, extent);
    }
}
