using System.Text.Json;
using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Domain.History;
using CityTwin.Web.Data.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CityTwin.Web.Data;

/// <summary>Why and by whom a write happens; every change entry of the write carries it.</summary>
public sealed record ChangeContext(ChangeActor Actor, string Operation, string? Reason = null, string? BatchId = null)
{
    public const int MaxReasonLength = 1000;
}

/// <summary>The kinds of change the history records (<see cref="ChangeContext.Operation"/>), one spelling everywhere.</summary>
public static class ChangeOperations
{
    public const string Create = "Create";
    public const string Update = "Update";
    public const string BulkEdit = "BulkEdit";
    public const string Decommission = "Decommission";
    public const string Restore = "Restore";
    public const string Delete = "Delete";
    public const string Import = "Import";
    public const string Api = "Api";

    public static IReadOnlyList<string> All { get; } = [Create, Update, BulkEdit, Decommission, Restore, Delete, Import, Api];
}

/// <summary>The asset does not exist (or no longer).</summary>
public sealed class AssetNotFoundException(string id) : Exception($"Asset '{id}' does not exist.")
{
    public string AssetId { get; } = id;
}

/// <summary>The asset changed since the caller read it: <see cref="Current"/> is the newer version, nothing was written.</summary>
public sealed class AssetConcurrencyException(Asset current, long expectedVersion)
    : Exception($"Asset '{current.Id}' was changed by someone else (version {current.Version}, you edited version {expectedVersion}).")
{
    public Asset Current { get; } = current;

    public long ExpectedVersion { get; } = expectedVersion;
}

/// <summary>The outcome of one write: the asset as saved and the fields that changed (none = nothing to save).</summary>
public sealed record AssetWriteResult(Asset Asset, IReadOnlyList<FieldChange> Changes);

/// <summary>One asset of an import: the asset as it will be saved, the version it was read at (null = new) and its changes.</summary>
public sealed record AssetImportWrite(Asset Asset, long? ExpectedVersion, IReadOnlyList<FieldChange> Changes);

/// <summary>
/// The one write path for assets — UI, bulk edit, import and API all come here. Each write checks the domain rules,
/// refuses a stale version (optimistic concurrency on <c>Version</c>), closes the previous version into
/// <c>AssetVersions</c> and appends one <c>AssetChanges</c> entry per changed field, in one transaction.
/// </summary>
public sealed class AssetStore(IDbContextFactory<CityTwinDbContext> dbFactory, TimeProvider time)
{
    private static readonly JsonSerializerOptions SnapshotJson = new() { WriteIndented = false };

    /// <summary>From this many new assets in one save, the search indexes are filled set-based after the rows (ADR 0008).</summary>
    private const int SetBasedIndexingFrom = 200;
    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    /// <summary>One asset by id with its relationships (compiled once: the API's GET by id and every edit start here).</summary>
    private static readonly Func<CityTwinDbContext, string, CancellationToken, Task<AssetRecord?>> ById =
        EF.CompileAsyncQuery((CityTwinDbContext db, string id, CancellationToken ct) => db.Assets.AsNoTracking().Include(a => a.Links).SingleOrDefault(a => a.Id == id));

    /// <summary>On SQLite (a file), single assets are read without an EF context (<see cref="Sqlite.SqliteAssetReader"/>).</summary>
    private readonly Lazy<Sqlite.SqliteAssetReader?> _reader = new(() =>
    {
        using var db = dbFactory.CreateDbContext();
        return db.Database.IsSqlite() && db.Database.GetConnectionString() is { } cs && new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(cs) is
            { Mode: not Microsoft.Data.Sqlite.SqliteOpenMode.Memory, DataSource: not ":memory:" }
            ? new Sqlite.SqliteAssetReader(cs)
            : null;
    });

    public async Task<Asset?> FindAsync(string id, CancellationToken ct = default) =>
        await FindRecordAsync(id, ct) is { } record ? AssetMapper.ToDomain(record) : null;

    /// <summary>Several assets by id (decommissioned ones included); ids not found are absent.</summary>
    public async Task<Dictionary<string, Asset>> FindManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        List<AssetRecord> records;
        if (_reader.Value is { } reader)
        {
            ct.ThrowIfCancellationRequested();
            records = reader.FindMany(ids);
        }
        else
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var list = ids.ToList();
            records = await db.Assets.AsNoTracking().Include(a => a.Links).Where(a => list.Contains(a.Id)).ToListAsync(ct);
        }

        return records.ToDictionary(r => r.Id, AssetMapper.ToDomain, StringComparer.Ordinal);
    }

    /// <summary>Which of these ids are taken (decommissioned assets included).</summary>
    public async Task<HashSet<string>> ExistingAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (_reader.Value is { } reader)
        {
            ct.ThrowIfCancellationRequested();
            return reader.Existing(ids);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var list = ids.ToList();
        return (await db.Assets.AsNoTracking().Where(a => list.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>One asset's row with its relationships, as stored (for readers that keep what they build from it).</summary>
    public async Task<AssetRecord?> FindRecordAsync(string id, CancellationToken ct = default)
    {
        if (_reader.Value is { } reader)
        {
            ct.ThrowIfCancellationRequested();
            return reader.Find(id);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ById(db, id, ct);
    }

    /// <summary>Creates an asset; an existing id is refused.</summary>
    public async Task<AssetWriteResult> CreateAsync(Asset asset, ChangeContext context, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(asset);
        ArgumentNullException.ThrowIfNull(context);
        CheckReason(context);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Assets.AnyAsync(a => a.Id == asset.Id.Value, ct))
        {
            throw new DomainException("id", $"An asset with id '{asset.Id}' already exists.");
        }

        var record = AssetMapper.ToRecord(asset);
        db.Assets.Add(record);
        var changes = CreationChanges(asset);
        db.AssetChanges.AddRange(Entries(asset, changes, context, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return new AssetWriteResult(asset, changes);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the asset at <paramref name="expectedVersion"/>. Throws
    /// <see cref="AssetNotFoundException"/>, <see cref="AssetConcurrencyException"/> (nothing written) or the
    /// <see cref="DomainException"/> of a broken rule (nothing written).
    /// </summary>
    public async Task<AssetWriteResult> UpdateAsync(string id, long expectedVersion, Action<Asset> change, ChangeContext context, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(context);
        CheckReason(context);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Assets.Include(a => a.Links).SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw new AssetNotFoundException(id);
        var result = Apply(db, record, expectedVersion, change, context);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new AssetConcurrencyException(await FindAsync(id, ct) ?? throw new AssetNotFoundException(id), expectedVersion);
        }

        return result;
    }

    /// <summary>
    /// Applies one change to many assets in one transaction: all or nothing. Each (id, version) pair is checked like
    /// a single update; the first conflict or broken rule aborts the whole edit.
    /// </summary>
    public async Task<IReadOnlyList<AssetWriteResult>> UpdateManyAsync(IReadOnlyCollection<(string Id, long Version)> targets, Action<Asset> change,
        ChangeContext context, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(context);
        CheckReason(context);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var results = new List<AssetWriteResult>(targets.Count);
        foreach (var chunk in targets.Chunk(500))
        {
            var ids = chunk.Select(t => t.Id).ToList();
            var records = await db.Assets.Include(a => a.Links).Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
            foreach (var (id, version) in chunk)
            {
                var record = records.GetValueOrDefault(id) ?? throw new AssetNotFoundException(id);
                results.Add(Apply(db, record, version, change, context));
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        await transaction.CommitAsync(ct);
        return results;
    }

    /// <summary>
    /// Saves the accepted records of an import in one transaction: all or nothing. New assets are bulk-inserted (with
    /// their links and one "created" history entry each, ADR 0008); updated ones are checked against the version the dry run read
    /// (<see cref="AssetConcurrencyException"/> aborts everything) and get a closed version and per-field entries.
    /// </summary>
    public async Task SaveImportAsync(IReadOnlyList<AssetImportWrite> writes, ChangeContext context, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(context);
        CheckReason(context);
        var now = time.GetUtcNow();
        var done = 0;
        var creates = writes.Where(w => w.ExpectedVersion is null).ToList();

        // Records and history entries of new assets are independent: build them on every core before the write
        // transaction starts, so the transaction only inserts.
        var newRecords = new AssetRecord[creates.Count];
        var created = new AssetChangeRecord[creates.Count];
        // (A few — the API's grouped creates — on this thread: handing them to the pool costs more than building them.)
        Parallel.For(0, creates.Count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = creates.Count >= 32 ? -1 : 1 }, i =>
        {
            newRecords[i] = AssetMapper.ToRecord(creates[i].Asset);
            created[i] = CreationEntry(creates[i].Asset, creates[i].Changes, context, now);
        });

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (creates.Count > 0)
        {
            var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
            var sqliteTransaction = (Microsoft.Data.Sqlite.SqliteTransaction)transaction.GetDbTransaction();
            using var assets = new Sqlite.SqliteBulkInserter<AssetRecord>(db, connection, sqliteTransaction);
            using var links = new Sqlite.SqliteBulkInserter<AssetLinkRecord>(db, connection, sqliteTransaction);
            using var entries = new Sqlite.SqliteBulkInserter<AssetChangeRecord>(db, connection, sqliteTransaction);
            // Suspending the index triggers is a schema change (every connection re-prepares its statements): worth it
            // for a large set only; a few rows are indexed by the triggers as they go.
            var setBased = newRecords.Length >= SetBasedIndexingFrom;
            var afterSeq = setBased ? await Sqlite.SqliteSearchIndexes.SuspendInsertIndexingAsync(connection, sqliteTransaction, ct) : 0;
            for (var i = 0; i < newRecords.Length; i++)
            {
                assets.Insert(newRecords[i]);
                foreach (var link in newRecords[i].Links)
                {
                    links.Insert(link);
                }

                entries.Insert(created[i]);
                if (++done % 1000 == 0)
                {
                    progress?.Report(done);
                    ct.ThrowIfCancellationRequested();
                }
            }

            if (setBased)
            {
                await Sqlite.SqliteSearchIndexes.ResumeInsertIndexingAsync(connection, sqliteTransaction, afterSeq, ct);
            }
        }

        foreach (var chunk in writes.Where(w => w.ExpectedVersion is not null).Chunk(500))
        {
            var ids = chunk.Select(w => w.Asset.Id.Value).ToList();
            var records = await db.Assets.Include(a => a.Links).Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
            foreach (var write in chunk)
            {
                var record = records.GetValueOrDefault(write.Asset.Id.Value) ?? throw new AssetNotFoundException(write.Asset.Id.Value);
                if (record.Version != write.ExpectedVersion)
                {
                    throw new AssetConcurrencyException(AssetMapper.ToDomain(record), write.ExpectedVersion!.Value);
                }

                db.AssetVersions.Add(VersionOf(record, now));
                write.Asset.MarkChanged(now);
                AssetMapper.CopyTo(write.Asset, record);
                db.AssetChanges.AddRange(Entries(write.Asset, write.Changes, context, now));
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                var first = chunk[0];
                throw new AssetConcurrencyException(await FindAsync(first.Asset.Id.Value, ct) ?? first.Asset, first.ExpectedVersion!.Value);
            }

            db.ChangeTracker.Clear();
            done += chunk.Length;
            progress?.Report(done);
        }

        await transaction.CommitAsync(ct);
        progress?.Report(writes.Count);
    }

    /// <summary>The field changes of a new asset (every field it sets), as <see cref="CreateAsync"/> records them.</summary>
    public static IReadOnlyList<FieldChange> CreationChanges(Asset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        var empty = new AssetState { Id = asset.Id, TypeName = asset.Type.Name, Name = "", Criticality = asset.Criticality };
        return AssetDiff.Compare(empty, asset.ToState());
    }

    /// <summary>Removes an asset for good (administrators only, enforced by the caller). Its last state stays in history.</summary>
    public async Task DeleteAsync(string id, long expectedVersion, ChangeContext context, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        CheckReason(context);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Assets.Include(a => a.Links).SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw new AssetNotFoundException(id);
        if (record.Version != expectedVersion)
        {
            throw new AssetConcurrencyException(AssetMapper.ToDomain(record), expectedVersion);
        }

        var now = time.GetUtcNow();
        db.AssetVersions.Add(VersionOf(record, now));
        db.AssetChanges.Add(new AssetChangeRecord
        {
            AssetId = id, Version = record.Version + 1, At = now, Actor = context.Actor.Name, ActorKind = context.Actor.Kind.ToString(),
            Operation = context.Operation, Field = "deleted", From = record.Name, To = null, Reason = context.Reason, BatchId = context.BatchId,
        });
        db.Assets.Remove(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new AssetConcurrencyException(await FindAsync(id, ct) ?? throw new AssetNotFoundException(id), expectedVersion);
        }
    }

    private AssetWriteResult Apply(CityTwinDbContext db, AssetRecord record, long expectedVersion, Action<Asset> change, ChangeContext context)
    {
        var asset = AssetMapper.ToDomain(record);
        if (record.Version != expectedVersion)
        {
            throw new AssetConcurrencyException(asset, expectedVersion);
        }

        var before = asset.ToState();
        change(asset);
        var changes = AssetDiff.Compare(before, asset.ToState());
        if (changes.Count == 0)
        {
            return new AssetWriteResult(asset, changes);
        }

        var now = time.GetUtcNow();
        db.AssetVersions.Add(VersionOf(record, now));
        asset.MarkChanged(now);
        AssetMapper.CopyTo(asset, record);
        db.AssetChanges.AddRange(Entries(asset, changes, context, now));
        return new AssetWriteResult(asset, changes);
    }

    private static AssetVersionRecord VersionOf(AssetRecord record, DateTimeOffset closedAt) => new()
    {
        AssetId = record.Id,
        Version = record.Version,
        ValidFrom = record.ModifiedAt,
        ValidTo = closedAt,
        Snapshot = JsonSerializer.Serialize(record, SnapshotJson),
        Type = record.Type,
        Name = record.Name,
        Status = record.Status,
        Condition = record.Condition,
        DistrictCode = record.DistrictCode,
        Publication = record.Publication,
    };

    internal static AssetRecord FromSnapshot(string snapshot) =>
        JsonSerializer.Deserialize<AssetRecord>(snapshot, SnapshotJson) ?? throw new InvalidOperationException("Empty asset snapshot.");

    private static IEnumerable<AssetChangeRecord> Entries(Asset asset, IReadOnlyList<FieldChange> changes, ChangeContext context, DateTimeOffset at) =>
        changes.Select(c => new AssetChangeRecord
        {
            AssetId = asset.Id.Value,
            Version = asset.Version,
            At = at,
            Actor = context.Actor.Name,
            ActorKind = context.Actor.Kind.ToString(),
            Operation = context.Operation,
            Field = c.Field,
            From = Truncate(c.From),
            To = Truncate(c.To),
            Reason = context.Reason,
            BatchId = context.BatchId,
        });

    /// <summary>The pseudo-field of the one history entry a bulk-imported asset gets at creation.</summary>
    public const string CreatedField = "created";

    /// <summary>
    /// One history entry for an asset created by a bulk import, its initial values as a JSON object (field → value,
    /// long values shortened) — per-field entries for 20k new assets would be ~300k rows and most of the import time.
    /// </summary>
    private static AssetChangeRecord CreationEntry(Asset asset, IReadOnlyList<FieldChange> changes, ChangeContext context, DateTimeOffset at)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            values[change.Field] = change.To is { Length: > 200 } text ? text[..200] + "…" : change.To;
        }

        return new AssetChangeRecord
        {
            AssetId = asset.Id.Value,
            Version = asset.Version,
            At = at,
            Actor = context.Actor.Name,
            ActorKind = context.Actor.Kind.ToString(),
            Operation = context.Operation,
            Field = CreatedField,
            To = Truncate(JsonSerializer.Serialize(values, ReadableJson)),
            Reason = context.Reason,
            BatchId = context.BatchId,
        };
    }

    private static string? Truncate(string? value) => value is { Length: > 4000 } ? value[..4000] + "…" : value;

    private static void CheckReason(ChangeContext context)
    {
        if (context.Reason is { Length: > ChangeContext.MaxReasonLength })
        {
            throw new DomainException("reason", $"The reason note is at most {ChangeContext.MaxReasonLength} characters long.");
        }

        if (context.Reason is { } reason && reason.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw new DomainException("reason", "The reason note contains a control character.");
        }
    }
}
