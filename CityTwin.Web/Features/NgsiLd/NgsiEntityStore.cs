using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Domain.History;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using CityTwin.Web.Data.Sqlite;
using CityTwin.Web.Features.Interop;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// The registry seen as NGSI-LD entities (ADR 0010): one store, so an entity written here is an asset in the UI and
/// an asset edited in the UI is the entity read here. Reads turn an asset into an <see cref="NgsiEntity"/> (lifecycle
/// columns as CityTwin's terms, catalogue attributes, relationships, and the attributes kept as given); writes go
/// through <see cref="AssetStore"/>: domain rules, history naming the API key, optimistic concurrency.
/// </summary>
public sealed partial class NgsiEntityStore(AssetStore store, IDbContextFactory<CityTwinDbContext> dbFactory, TimeProvider time, NgsiEntityCache cache) : IDisposable
{
    private const string Operation = ChangeOperations.Api;

    /// <summary>Where an entity's scopes are kept among its attributes (the NGSI-LD term's IRI; never an attribute on output).</summary>
    public const string ScopeIri = "https://uri.etsi.org/ngsi-ld/scope";

    /// <summary>Where all type IRIs of a multi-typed entity are kept (the asset's own type is the first).</summary>
    public const string TypesIri = "https://w3id.org/citytwin/entityTypes";

    /// <summary>Keys of the attribute document that hold entity members (scope, types), never shown as attributes.</summary>
    public static bool IsReserved(string iri) => iri is ScopeIri or TypesIri;

    /// <summary>
    /// Loads an entity, applies <paramref name="change"/> and saves the result as one versioned write (retried when
    /// someone else wrote in between). ResourceNotFound when the entity does not exist. <paramref name="ifMatch"/>: the
    /// versions the caller's <c>If-Match</c> accepts (null: any); any other version is PreconditionFailed (412), never
    /// retried, so a write built on a stale read never lands over a newer edit.
    /// </summary>
    public async Task<T> ModifyAsync<T>(string id, ChangeActor actor, string reason, Func<NgsiEntity, T> change, CancellationToken ct,
        IReadOnlyCollection<long>? ifMatch = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var asset = await store.FindAsync(id, ct);
            if (asset is null || asset.IsDecommissioned)
            {
                throw NgsiLdException.NotFound(id);
            }

            CheckPrecondition(asset, ifMatch);

            var entity = ToEntity(asset, publicOnly: false);
            var result = change(entity);
            var now = time.GetUtcNow();
            try
            {
                await store.UpdateAsync(id, asset.Version, a => Replace(a, entity, now), new ChangeContext(actor, Operation, "NGSI-LD: " + reason), ct);
                return result;
            }
            catch (AssetConcurrencyException e) when (ifMatch is not null)
            {
                throw NgsiLdException.PreconditionFailed(id, e.Current.Version);
            }
            catch (AssetConcurrencyException) when (attempt < 2)
            {
                // Someone wrote in between: apply the operation again to the newer version.
            }
            catch (DomainException e)
            {
                throw NgsiLdException.BadData(e);
            }
        }
    }

    /// <summary>
    /// Applies one operation to each of several existing entities (distinct ids) and saves them in one transaction
    /// through the import's update path: per entity its version check, a closed version and its history entries. By
    /// id: null when changed (or nothing to change), else the entity's error (not found, a domain rule, or what
    /// <paramref name="change"/> returns — the entity is still written then, as <see cref="ModifyAsync"/> callers do).
    /// Null when someone wrote one of them in between: nothing was written, the caller goes entity by entity.
    /// </summary>
    public async Task<Dictionary<string, NgsiLdException?>?> ModifyManyAsync(IReadOnlyList<(string Id, Func<NgsiEntity, NgsiLdException?> Change)> items,
        ChangeActor actor, string reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(items);
        var assets = await store.FindManyAsync([.. items.Select(i => i.Id)], ct);
        var outcome = new Dictionary<string, NgsiLdException?>(StringComparer.Ordinal);
        var writes = new List<AssetImportWrite>();
        var now = time.GetUtcNow();
        foreach (var (id, change) in items)
        {
            if (!assets.TryGetValue(id, out var asset) || asset.IsDecommissioned)
            {
                outcome[id] = NgsiLdException.NotFound(id);
                continue;
            }

            try
            {
                var entity = ToEntity(asset, publicOnly: false);
                var problem = change(entity);
                var version = asset.Version;
                var before = asset.ToState();
                Replace(asset, entity, now);
                var changes = AssetDiff.Compare(before, asset.ToState());
                if (changes.Count > 0)
                {
                    writes.Add(new AssetImportWrite(asset, version, changes));
                }

                outcome[id] = problem;
            }
            catch (NgsiLdException e)
            {
                outcome[id] = e;
            }
            catch (DomainException e)
            {
                outcome[id] = NgsiLdException.BadData(e);
            }
        }

        if (writes.Count > 0)
        {
            try
            {
                await store.SaveImportAsync(writes, new ChangeContext(actor, Operation, "NGSI-LD: " + reason), null, ct);
            }
            catch (Exception e) when (e is AssetConcurrencyException or AssetNotFoundException)
            {
                return null;
            }
        }

        return outcome;
    }

    /// <summary>
    /// The entities of a selection, in registry order: by type IRIs (any of them, also secondary types) and ids in
    /// the database, the rest of the filter (<paramref name="matches"/>: idPattern, attrs, q, geo) on the entities.
    /// Returns the page and the total count.
    /// </summary>
    public async Task<(List<NgsiEntity> Page, int Total)> QueryAsync(IReadOnlySet<string>? types, IReadOnlySet<string>? ids, bool publicOnly,
        Func<NgsiEntity, bool> matches, int offset, int limit, CancellationToken ct, NgsiQuery? q = null, NgsiGeoQuery? geo = null, bool total = true,
        IComparer<NgsiEntity>? order = null, bool exactInDatabase = false, IReadOnlySet<string>? compared = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var page = new List<NgsiEntity>();
        var count = 0;
        var after = 0L;
        if (exactInDatabase && order is null && !total && offset > 0 && db.Database.IsSqlite())
        {
            // The database alone decides which entities match: it skips the offset, only the page is built.
            var (known, before) = await SeqBeforeAsync(db, types, ids, publicOnly, offset, ct);
            if (known)
            {
                if (before is not { } seq)
                {
                    return (page, -1);
                }

                (after, offset) = (seq, 0);
            }
        }

        var wanted = (long)offset + limit;
        // A scan of the whole selection (an order, a count) tests and compares entities built with only the attributes
        // the filter and the order look at (when the caller knows them); the answered ones are rebuilt whole: orderBy
        // over 40k Streetlights built 40k whole entities.
        var part = (total || order is not null) ? compared : null;
        // Ordered answers need every match, but only the best offset + limit are kept (a heap with the worst on top;
        // ties keep registry order): memory stays bounded whatever the selection's size.
        var best = order is null ? null : new PriorityQueue<(NgsiEntity Entity, int At), (NgsiEntity Entity, int At)>(
            Comparer<(NgsiEntity Entity, int At)>.Create((a, b) => Ranked(order, b, a)));
        await foreach (var entity in Candidates(db, types, ids, publicOnly, q, geo, total || order is not null ? 1024 : (int)Math.Clamp(wanted + 8, 16, 4096), after, part).WithCancellation(ct))
        {
            if ((types is not null && !entity.Types.Any(types.Contains)) || !matches(entity))
            {
                continue;
            }

            if (best is not null)
            {
                if (best.Count < wanted)
                {
                    best.Enqueue((entity, count), (entity, count));
                }
                else if (wanted > 0 && Ranked(order!, (entity, count), best.Peek()) < 0)
                {
                    best.DequeueEnqueue((entity, count), (entity, count));
                }
            }
            else if (count >= offset && page.Count < limit)
            {
                page.Add(entity);
            }

            count++;
            if (!total && order is null && count >= wanted)
            {
                break; // the page is full and nobody asked for the count
            }
        }

        if (best is not null)
        {
            page = [.. best.UnorderedItems.Select(i => i.Element).Order(Comparer<(NgsiEntity Entity, int At)>.Create((a, b) => Ranked(order!, a, b)))
                .Skip(offset).Take(limit).Select(i => i.Entity)];
        }

        return (Whole(page, publicOnly), total ? count : -1);
    }

    /// <summary>By the requested order, then registry order (the order the matches came in).</summary>
    private static int Ranked(IComparer<NgsiEntity> order, (NgsiEntity Entity, int At) a, (NgsiEntity Entity, int At) b) =>
        order.Compare(a.Entity, b.Entity) is var c and not 0 ? c : a.At.CompareTo(b.At);

    /// <summary>
    /// How many visible entities have one of these types (any, when null) and ids (any, when null), counted by the
    /// database; entities with several types (their other types live in the attribute document; few, found through
    /// their partial index) are checked one by one. Null when not on SQLite.
    /// </summary>
    public async Task<int?> CountAsync(IReadOnlySet<string>? types, IReadOnlySet<string>? ids, bool publicOnly, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Database.IsSqlite())
        {
            return null;
        }

        var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var selection = await ExactSelectionAsync(connection, types, ids, publicOnly, ct);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM Assets a WHERE {selection.Where}";
        selection.Bind(command);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) + selection.MultiTypedMatches;
    }

    /// <summary>
    /// The database's exact selection by visibility, ids and types: a condition on <c>Assets a</c> for the rows with
    /// a single type, and how many visible rows with several types match (checked one by one, their other types live
    /// in the attribute document).
    /// </summary>
    private async Task<(string Where, Action<Microsoft.Data.Sqlite.SqliteCommand> Bind, int MultiTypedMatches)> ExactSelectionAsync(
        Microsoft.Data.Sqlite.SqliteConnection connection, IReadOnlySet<string>? types, IReadOnlySet<string>? ids, bool publicOnly, CancellationToken ct)
    {
        var conditions = new List<string> { Visible(publicOnly) };

        if (ids is not null)
        {
            conditions.Add("a.Id IN (SELECT value FROM json_each($ids))");
        }

        var multiTypedMatches = 0;
        if (types is not null)
        {
            var multiTyped = await SeqsAsync(connection, $"{SqliteSearchIndexes.MultiTypedCondition} AND {string.Join(" AND ", conditions)}", Bind, ct);

            conditions.Add("a.Type IN (SELECT value FROM json_each($types))");
            if (multiTyped.Count > 0)
            {
                // Without any, the test on the attribute document (a read of every row) is left out.
                conditions.Add($"NOT ({SqliteSearchIndexes.MultiTypedCondition})");
                multiTypedMatches = ReadRows(connection, multiTyped).Count(r => Built(r, publicOnly).Types.Any(types.Contains));
            }
        }

        return (string.Join(" AND ", conditions), Bind, multiTypedMatches);

        void Bind(Microsoft.Data.Sqlite.SqliteCommand c)
        {
            if (ids is not null)
            {
                c.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(ids));
            }

            if (types is not null && c.CommandText.Contains("$types", StringComparison.Ordinal))
            {
                c.Parameters.AddWithValue("$types", TypeColumnValues(types));
            }
        }
    }

    /// <summary>The condition on <c>Assets a</c> for the rows the caller may see.</summary>
    private static string Visible(bool publicOnly) => "a.Status <> 'Decommissioned'" + (publicOnly ? " AND a.Publication = 'Public'" : "");

    /// <summary>The <c>Seq</c> of the rows of <c>Assets a</c> meeting a condition, in registry order.</summary>
    private static async Task<List<long>> SeqsAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string where,
        Action<Microsoft.Data.Sqlite.SqliteCommand>? bind, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT a.Seq FROM Assets a WHERE {where} ORDER BY a.Seq";
        bind?.Invoke(command);
        var seqs = new List<long>();
        using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    /// <summary>
    /// Where a page at <paramref name="offset"/> of an exact selection (see <see cref="CountAsync"/>) starts: the
    /// <c>Seq</c> of the last entity before it, found by the database's index, so a deep page builds only its own
    /// entities (a harvester paging 40k Streetlights by 100 built up to 40k entities a page). 0 when the page starts at
    /// the top, null when the selection has no more than <paramref name="offset"/> entities, and no answer (false)
    /// when the selection holds entities of several types (the database cannot place them).
    /// </summary>
    private async Task<(bool Known, long? After)> SeqBeforeAsync(CityTwinDbContext db, IReadOnlySet<string>? types, IReadOnlySet<string>? ids,
        bool publicOnly, int offset, CancellationToken ct)
    {
        var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var selection = await ExactSelectionAsync(connection, types, ids, publicOnly, ct);
        if (selection.MultiTypedMatches > 0)
        {
            return (false, null);
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT a.Seq FROM Assets a WHERE {selection.Where} ORDER BY a.Seq LIMIT 1 OFFSET $skip";
        selection.Bind(command);
        command.Parameters.AddWithValue("$skip", offset - 1);
        return (true, await command.ExecuteScalarAsync(ct) is long seq ? seq : null);
    }

    /// <summary>
    /// The entities that may match, in registry order. On SQLite the database narrows them: type through the
    /// (Type, Status) index (plus the few multi-typed entities through their partial index), a geo-query through the
    /// R*Tree, q through a JSON prefilter (<see cref="NgsiQuery.SqlitePrefilter"/>); the entity-level checks decide.
    /// Only row stamps are selected; entities still current in <see cref="NgsiEntityCache"/> are not read again.
    /// </summary>
    private async IAsyncEnumerable<NgsiEntity> Candidates(CityTwinDbContext db, IReadOnlySet<string>? types, IReadOnlySet<string>? ids,
        bool publicOnly, NgsiQuery? q, NgsiGeoQuery? geo, int firstChunk, long after = 0, IReadOnlySet<string>? part = null)
    {
        if (!db.Database.IsSqlite())
        {
            var query = db.Assets.AsNoTracking().Include(a => a.Links).Where(a => a.Status != "Decommissioned");
            query = publicOnly ? query.Where(a => a.Publication == "Public") : query;
            if (ids is not null)
            {
                var list = ids.ToList();
                query = query.Where(a => list.Contains(a.Id));
            }

            if (types is not null)
            {
                var list = types.ToList();
                query = query.Where(a => list.Contains(a.TypeIri) || a.Attributes.Contains(TypesIri));
            }

            await foreach (var record in query.OrderBy(a => a.Seq).AsAsyncEnumerable())
            {
                yield return Built(record, publicOnly);
            }

            yield break;
        }

        var parameters = new List<object>();
        var conditions = new List<string> { Visible(publicOnly) };

        if (ids is not null)
        {
            parameters.Add(JsonSerializer.Serialize(ids));
            conditions.Add($"a.Id IN (SELECT value FROM json_each({{{parameters.Count - 1}}}))");
        }

        if (geo?.Bounds() is { } box)
        {
            parameters.AddRange([box.West, box.East, box.South, box.North]);
            var i = parameters.Count - 4;
            conditions.Add($"a.Seq IN (SELECT Seq FROM AssetBounds WHERE MaxLon >= {{{i}}} AND MinLon <= {{{i + 1}}} AND MaxLat >= {{{i + 2}}} AND MinLat <= {{{i + 3}}})");
        }

        if (q?.SqlitePrefilter(parameters) is { } prefilter)
        {
            conditions.Add(prefilter);
        }

        if (types is not null)
        {
            // Multi-typed entities keep their other types in the attribute document: few, found through a partial index.
            var multiTyped = await db.Database.SqlQueryRaw<long>($"SELECT a.Seq AS Value FROM Assets a WHERE {SqliteSearchIndexes.MultiTypedCondition}").ToListAsync();
            parameters.Add(TypeColumnValues(types));
            var byType = $"a.Type IN (SELECT value FROM json_each({{{parameters.Count - 1}}}))";
            if (multiTyped.Count > 0)
            {
                parameters.Add(JsonSerializer.Serialize(multiTyped));
                byType = $"({byType} OR a.Seq IN (SELECT value FROM json_each({{{parameters.Count - 1}}})))";
            }

            conditions.Add(byType);
        }

        // Row stamps in registry order, in growing chunks (a first page costs one small chunk); the rows the cache
        // cannot answer are read whole in one more query, their relationships in another (no JOIN). Straight from
        // Microsoft.Data.Sqlite (no EF materialisation: ~70 µs a wide row through EF, a few µs here).
        var sql = $"SELECT a.Seq, a.Version, a.ModifiedAt FROM Assets a WHERE {string.Join(" AND ", conditions)} AND a.Seq > {{{parameters.Count}}} ORDER BY a.Seq LIMIT {{{parameters.Count + 1}}}";
        sql = PlaceholderPattern().Replace(sql, m => "$p" + m.Groups[1].Value);
        var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(); // EF's SqlitePragmas interceptor sets the PRAGMAs
        var last = after;
        var scanned = 0;
        for (var chunk = firstChunk; ; chunk = Math.Min(chunk * 4, 4096))
        {
            var stamps = new List<NgsiEntityCache.Stamp>(Math.Min(chunk, 1024));
            using (var command = connection.CreateCommand())
            {
                command.CommandText = sql;
                object[] values = [.. parameters, last, chunk];
                for (var i = 0; i < values.Length; i++)
                {
                    command.Parameters.AddWithValue("$p" + i.ToString(CultureInfo.InvariantCulture), values[i]);
                }

                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    stamps.Add(new NgsiEntityCache.Stamp(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
                }
            }

            if (stamps.Count == 0)
            {
                yield break;
            }

            var entities = new NgsiEntity?[stamps.Count];
            var missing = new List<long>();
            for (var i = 0; i < stamps.Count; i++)
            {
                if (cache.TryGet(stamps[i], publicOnly, out var hit))
                {
                    entities[i] = hit;
                }
                else
                {
                    missing.Add(stamps[i].Seq);
                }
            }

            // A scan past half the cache (a count with q, orderBy, a purge) would only push the hot entities out: the
            // rest of it is built without entering the cache.
            // A row changed between the two reads is taken as it is now, if the caller may still see it.
            var built = missing.Count == 0 ? null : ReadRows(connection, missing)
                .Where(r => r.Status != nameof(AssetStatus.Decommissioned) && (!publicOnly || r.Publication == nameof(PublicationClass.Public)))
                .ToDictionary(r => r.Seq, r => part is null
                    ? Built(r, publicOnly, keep: (scanned += 1) <= cache.Size / 2)
                    : Partial(r, publicOnly, part));
            for (var i = 0; i < stamps.Count; i++)
            {
                // A row deleted between the two reads is gone; one changed in between is read as it is now.
                if ((entities[i] ?? built?.GetValueOrDefault(stamps[i].Seq)) is { } entity)
                {
                    yield return entity;
                }
            }

            if (stamps.Count < chunk)
            {
                yield break;
            }

            last = stamps[^1].Seq;
        }
    }

    /// <summary>A row's entity with only these attributes (see <see cref="NgsiEntity.PartialOf"/>); not cached.</summary>
    private static NgsiEntity Partial(AssetRecord record, bool publicOnly, IReadOnlySet<string> attributes)
    {
        var entity = ToEntity(AssetMapper.ToDomain(record), publicOnly, attributes);
        entity.PartialOf = record;
        return entity;
    }

    /// <summary>The page with its partial entities rebuilt whole from the rows they were tested on.</summary>
    private List<NgsiEntity> Whole(List<NgsiEntity> page, bool publicOnly) =>
        page.Exists(e => e.PartialOf is not null) ? [.. page.Select(e => e.PartialOf is { } row ? Built(row, publicOnly) : e)] : page;

    /// <summary>The entity of a row (with its links), from the cache while the row is unchanged.</summary>
    private NgsiEntity Built(AssetRecord record, bool publicOnly, bool keep = true)
    {
        var stamp = new NgsiEntityCache.Stamp(record.Seq, record.Version, record.ModifiedAt.ToUnixTimeMilliseconds());
        if (cache.TryGet(stamp, publicOnly, out var entity))
        {
            return entity;
        }

        entity = ToEntity(AssetMapper.ToDomain(record), publicOnly);
        if (keep)
        {
            cache.Add(stamp, publicOnly, entity);
        }

        return entity;
    }

    /// <summary>Type IRIs as the <c>Type</c> column holds them (catalogue names, other types by IRI), as a JSON list for json_each.</summary>
    private static string TypeColumnValues(IEnumerable<string> types) => JsonSerializer.Serialize(types.Select(t => AssetTypeCatalog.Find(t)?.Name ?? t));

    /// <summary>Whole rows (with their links) by <c>Seq</c>, in two statements.</summary>
    private static List<AssetRecord> ReadRows(Microsoft.Data.Sqlite.SqliteConnection connection, List<long> seqs)
    {
        var rows = new List<AssetRecord>(seqs.Count);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {SqliteAssetReader.Columns} FROM Assets a WHERE a.Seq IN (SELECT value FROM json_each($seqs))";
            command.Parameters.AddWithValue("$seqs", JsonSerializer.Serialize(seqs));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(SqliteAssetReader.Map(reader));
            }
        }

        var links = ReadLinks(connection, rows);
        foreach (var row in rows)
        {
            row.Links = [.. links[row.Id]];
        }

        return rows;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(\d+)\}")]
    private static partial System.Text.RegularExpressions.Regex PlaceholderPattern();

    /// <summary>The relationships of a chunk of rows, in one statement, in the order EF's Include gives.</summary>
    private static ILookup<string, AssetLinkRecord> ReadLinks(Microsoft.Data.Sqlite.SqliteConnection connection, List<AssetRecord> rows)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT AssetId, Iri, TargetId FROM AssetLinks WHERE AssetId IN (SELECT value FROM json_each($keys)) ORDER BY AssetId, Iri, TargetId";
        command.Parameters.AddWithValue("$keys", JsonSerializer.Serialize(rows.Select(r => r.Id)));
        using var reader = command.ExecuteReader();
        var links = new List<AssetLinkRecord>();
        while (reader.Read())
        {
            links.Add(new AssetLinkRecord { AssetId = reader.GetString(0), Iri = reader.GetString(1), TargetId = reader.GetString(2) });
        }

        return links.ToLookup(l => l.AssetId, StringComparer.Ordinal);
    }

    /// <summary>The entity, or null when it does not exist, is decommissioned or is not visible to the caller.</summary>
    public async Task<NgsiEntity?> FindAsync(string id, bool publicOnly, CancellationToken ct)
    {
        var record = await store.FindRecordAsync(id, ct);
        return record is null || record.Status == nameof(AssetStatus.Decommissioned) || (publicOnly && record.Publication != nameof(PublicationClass.Public))
            ? null
            : Built(record, publicOnly);
    }

    private sealed record PendingCreate(NgsiEntity Entity, AssetImportWrite Write, ChangeActor Actor, TaskCompletionSource Done, CancellationToken Ct);

    private readonly System.Threading.Channels.Channel<PendingCreate> _creates = System.Threading.Channels.Channel.CreateUnbounded<PendingCreate>();
    private int _draining;

    /// <summary>
    /// Creates an entity (AlreadyExists if its id is taken; a decommissioned asset of that id is restored with the new
    /// content). The asset is built and checked on the caller's thread; the write joins the creates waiting at that
    /// moment in one transaction (group commit: SQLite has one writer, so concurrent creates queue for it anyway).
    /// </summary>
    public Task CreateAsync(NgsiEntity entity, ChangeActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var write = BuildNew(entity, actor, time.GetUtcNow());
        var pending = new PendingCreate(entity, write, actor, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), ct);
        _creates.Writer.TryWrite(pending);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainCreatesAsync, CancellationToken.None);
        }

        return pending.Done.Task;
    }

    private async Task DrainCreatesAsync()
    {
        while (true)
        {
            var group = new List<PendingCreate>();
            while (group.Count < 256 && _creates.Reader.TryRead(out var next))
            {
                group.Add(next);
            }

            if (group.Count == 0)
            {
                Volatile.Write(ref _draining, 0);
                if (!_creates.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            await WriteCreatesAsync(group);
        }
    }

    private async Task WriteCreatesAsync(List<PendingCreate> group)
    {
        var one = new List<PendingCreate>();
        try
        {
            group.RemoveAll(p => p.Ct.IsCancellationRequested && p.Done.TrySetCanceled(p.Ct));
            var ids = group.Select(p => p.Entity.Id).ToList();
            var repeated = ids.GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            var existing = await ExistingAsync(ids, CancellationToken.None);
            one.AddRange(group.Where(p => repeated.Contains(p.Entity.Id) || existing.Contains(p.Entity.Id)));
            foreach (var byActor in group.Except(one).GroupBy(p => p.Actor))
            {
                if (await SaveNewAsync([.. byActor.Select(p => p.Write)], byActor.Key, "NGSI-LD: create entity", CancellationToken.None))
                {
                    foreach (var p in byActor)
                    {
                        p.Done.TrySetResult();
                    }
                }
                else
                {
                    one.AddRange(byActor); // an id was taken meanwhile: nothing written, one by one
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            one = [.. group.Where(p => !p.Done.Task.IsCompleted)];
        }

        foreach (var p in one.Where(p => !p.Done.Task.IsCompleted))
        {
            try
            {
                await CreateOneAsync(p.Entity, p.Actor, p.Ct);
                p.Done.TrySetResult();
            }
            catch (Exception e)
            {
                p.Done.TrySetException(e);
            }
        }
    }

    /// <summary>A new asset for the entity, checked (BadRequestData naming the rule it breaks).</summary>
    private static AssetImportWrite BuildNew(NgsiEntity entity, ChangeActor actor, DateTimeOffset now)
    {
        try
        {
            var type = TypeOf(entity);
            var asset = Asset.Create(new AssetId(entity.Id), type, DisplayName(entity, type), now, new Provenance("NGSI-LD API", now, actor.Name));
            Replace(asset, entity, now);
            return new AssetImportWrite(asset, null, AssetStore.CreationChanges(asset));
        }
        catch (DomainException e)
        {
            throw NgsiLdException.BadData(e);
        }
    }

    /// <summary>Writes new assets in one transaction; false (nothing written) when one of the ids was taken meanwhile.</summary>
    private async Task<bool> SaveNewAsync(List<AssetImportWrite> writes, ChangeActor actor, string reason, CancellationToken ct)
    {
        try
        {
            await store.SaveImportAsync(writes, new ChangeContext(actor, Operation, reason), null, ct);
            return true;
        }
        catch (Exception e) when (e is DbUpdateException or Microsoft.Data.Sqlite.SqliteException)
        {
            return false;
        }
    }

    private async Task CreateOneAsync(NgsiEntity entity, ChangeActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var type = TypeOf(entity);
        var now = time.GetUtcNow();
        var context = new ChangeContext(actor, Operation, "NGSI-LD: create entity");
        var existing = await store.FindAsync(entity.Id, ct);
        if (existing is { IsDecommissioned: false })
        {
            throw new NgsiLdException(NgsiLdErrors.AlreadyExists, $"Entity '{entity.Id}' already exists.");
        }

        try
        {
            if (existing is not null)
            {
                if (existing.Type.Iri != type.Iri)
                {
                    throw new NgsiLdException(NgsiLdErrors.AlreadyExists, $"Id '{entity.Id}' belongs to a deleted {existing.Type.Label}; it cannot be reused for a {type.Label}.");
                }

                await store.UpdateAsync(entity.Id, existing.Version, asset =>
                {
                    asset.Restore();
                    Replace(asset, entity, now);
                }, context, ct);
                return;
            }

            var created = Asset.Create(new AssetId(entity.Id), type, DisplayName(entity, type), now, new Provenance("NGSI-LD API", now, actor.Name));
            Replace(created, entity, now);
            await store.CreateAsync(created, context, ct);
        }
        catch (DomainException e) when (e.Field == "id" && existing is null)
        {
            throw new NgsiLdException(NgsiLdErrors.AlreadyExists, e.Message);
        }
        catch (DomainException e)
        {
            throw NgsiLdException.BadData(e);
        }
    }

    /// <summary>The ids among <paramref name="ids"/> that the registry holds (decommissioned ones too).</summary>
    public Task<HashSet<string>> ExistingAsync(IReadOnlyCollection<string> ids, CancellationToken ct) => store.ExistingAsync(ids, ct);

    /// <summary>
    /// Creates new entities of a batch in one transaction through the import's bulk path (ADR 0008): each checked
    /// alone (its errors returned by id, the others still written), one "created" history entry each naming the key.
    /// Null when the batch could not be written as a whole (an id taken meanwhile): nothing was written, the caller
    /// goes entity by entity.
    /// </summary>
    public async Task<Dictionary<string, NgsiLdException>?> CreateManyAsync(IReadOnlyList<NgsiEntity> entities, ChangeActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var now = time.GetUtcNow();
        var failures = new Dictionary<string, NgsiLdException>(StringComparer.Ordinal);
        var writes = new List<AssetImportWrite>(entities.Count);
        foreach (var entity in entities)
        {
            try
            {
                writes.Add(BuildNew(entity, actor, now));
            }
            catch (NgsiLdException e)
            {
                failures[entity.Id] = e;
            }
        }

        return writes.Count == 0 || await SaveNewAsync(writes, actor, "NGSI-LD: batch create", ct) ? failures : null;
    }

    /// <summary>Deletes an entity: the asset is decommissioned (kept with its history, restorable by curators). False if not found.</summary>
    public async Task<bool> DeleteAsync(string id, ChangeActor actor, CancellationToken ct, IReadOnlyCollection<long>? ifMatch = null)
    {
        var asset = await store.FindAsync(id, ct);
        if (asset is null || asset.IsDecommissioned)
        {
            return false;
        }

        CheckPrecondition(asset, ifMatch);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        try
        {
            await store.UpdateAsync(id, asset.Version, a => a.Decommission(today), new ChangeContext(actor, Operation, "NGSI-LD: delete entity"), ct);
        }
        catch (AssetConcurrencyException e) when (ifMatch is not null)
        {
            throw NgsiLdException.PreconditionFailed(id, e.Current.Version);
        }

        return true;
    }

    private static void CheckPrecondition(Asset asset, IReadOnlyCollection<long>? ifMatch)
    {
        if (ifMatch is not null && !ifMatch.Contains(asset.Version))
        {
            throw NgsiLdException.PreconditionFailed(asset.Id.Value, asset.Version);
        }
    }

    /// <summary>The catalogue type of the entity's first type IRI, else a generic type.</summary>
    private static AssetType TypeOf(NgsiEntity entity) =>
        AssetTypeCatalog.All.FirstOrDefault(t => t.Iri == entity.Types[0]) ?? AssetType.Generic(entity.Types[0]);

    /// <summary>Whether an attribute IRI is a name (…/name or …#name in any vocabulary): where a generic asset's name comes from.</summary>
    public static bool IsNameAttribute(string iri) =>
        iri.EndsWith("/name", StringComparison.Ordinal) || iri.EndsWith("#name", StringComparison.Ordinal);

    /// <summary>The entity's first name attribute with a text value, and that text.</summary>
    private static (string Iri, string Name)? NameOf(NgsiEntity entity)
    {
        foreach (var (iri, instances) in entity.Attributes)
        {
            if (IsNameAttribute(iri) && instances[0]["value"] is JsonValue v && v.TryGetValue<string>(out var name) && !string.IsNullOrWhiteSpace(name))
            {
                return (iri, Clip(name.Trim()));
            }
        }

        return null;
    }

    /// <summary>A display name for the registry list: a name attribute if the entity has one, else the type and the id's last part.</summary>
    private static string DisplayName(NgsiEntity entity, AssetType type) => NameOf(entity)?.Name ?? FallbackName(entity.Id, type);

    /// <summary>The name an asset gets when its entity has none: the type and the id's last part.</summary>
    private static string FallbackName(string id, AssetType type) => Clip($"{type.Label} {id[(id.LastIndexOf(':') + 1)..]}");

    private static string Clip(string s)
    {
        var oneLine = new string([.. s.Select(c => char.IsControl(c) ? ' ' : c)]);
        return oneLine.Length <= Asset.MaxNameLength ? oneLine : oneLine[..Asset.MaxNameLength];
    }

    /// <summary>
    /// Makes a generic asset hold exactly the entity's attributes: each kept whole (instances, sub-attributes, system
    /// times), with the location as the asset's geometry and relationship targets as links for the registry's views.
    /// </summary>
    private static void Replace(Asset asset, NgsiEntity entity, DateTimeOffset now)
    {
        foreach (var iri in asset.Attributes.Keys.ToList())
        {
            asset.SetAttribute(iri, null);
        }

        foreach (var link in asset.Relationships.ToList())
        {
            asset.Unlink(link.Iri, link.Target);
        }

        asset.Locate(null);
        if (entity.Scopes is { Count: > 0 } scopes)
        {
            asset.SetAttribute(ScopeIri, AttributeValue.OfNgsi(JsonSerializer.Serialize(scopes)));
        }

        if (entity.Types.Count > 1 || entity.Types[0] != asset.Type.Iri)
        {
            asset.SetAttribute(TypesIri, AttributeValue.OfNgsi(JsonSerializer.Serialize(entity.Types)));
        }

        var stamp = NgsiEntityWriter.Instant(now);
        var lifecycle = asset.Type.IsGeneric ? null : NgsiCatalogueMapping.StartDraft(asset);
        foreach (var (iri, instances) in entity.Attributes)
        {
            foreach (var instance in instances)
            {
                // New and rewritten instances get the write time; untouched ones keep theirs.
                instance["createdAt"] ??= stamp;
                instance["modifiedAt"] ??= stamp;
            }

            if (lifecycle is not null && NgsiCatalogueMapping.TryTake(lifecycle, asset, iri, instances))
            {
                continue;
            }

            asset.SetAttribute(iri, AttributeValue.OfNgsi(instances.Count == 1 ? instances[0].ToJsonString() : new JsonArray([.. instances.Select(i => i.DeepClone())]).ToJsonString()));
            Project(asset, iri, instances);
        }

        if (lifecycle is not null)
        {
            NgsiCatalogueMapping.Finish(lifecycle, asset, now);
        }
        else
        {
            // The registry's name follows the entity's name attribute (the list and search show it).
            asset.Rename(DisplayName(entity, asset.Type));
        }
    }

    /// <summary>The core NGSI-LD <c>name</c> term's IRI (a generic entity renamed by a curator gets it when it had no name).</summary>
    private const string CoreName = "https://uri.etsi.org/ngsi-ld/name";

    /// <summary>
    /// A generic entity as a curator left it: the name attribute the registry's name comes from shows the registry's
    /// name (a rename in the UI is what the API returns), or one is added when the curator named an unnamed entity.
    /// </summary>
    private static void ReflectName(NgsiEntity entity, Asset asset, string at)
    {
        if (NameOf(entity) is { } named)
        {
            if (named.Name != asset.Name)
            {
                var instances = entity.Attributes[named.Iri];
                var renamed = (JsonObject)instances[0].DeepClone();
                renamed["value"] = asset.Name;
                renamed["modifiedAt"] = at;
                entity.Attributes[named.Iri] = [renamed, .. instances.Skip(1)];
            }
        }
        else if (asset.Name != FallbackName(asset.Id.Value, asset.Type))
        {
            entity.Attributes[CoreName] = [new JsonObject { ["type"] = NgsiTerms.Property, ["value"] = asset.Name, ["createdAt"] = at, ["modifiedAt"] = at }];
        }
    }

    private static void Project(Asset asset, string iri, List<JsonObject> instances)
    {
        var first = instances.FirstOrDefault(i => i["datasetId"] is null) ?? instances[0];
        var type = first["type"]?.GetValue<string>();
        if (iri == NgsiTerms.Location && type == NgsiTerms.GeoProperty && first["value"] is JsonObject geometry)
        {
            try
            {
                asset.Locate(GeoJson.Read(geometry.ToJsonString()));
            }
            catch (JsonException e)
            {
                throw NgsiLdException.BadData($"location: {e.Message}");
            }
        }

        foreach (var instance in instances.Where(i => i["type"]?.GetValue<string>() == NgsiTerms.Relationship))
        {
            var targets = instance["object"] is JsonArray many ? many.Select(t => t!.GetValue<string>()) : [instance["object"]!.GetValue<string>()];
            foreach (var target in targets)
            {
                asset.LinkTo(iri, new AssetId(target));
            }
        }
    }

    /// <summary>An asset as an NGSI-LD entity; public callers see public attributes only.</summary>
    public static NgsiEntity ToEntity(Asset asset, bool publicOnly) => ToEntity(asset, publicOnly, null);

    /// <summary>
    /// An asset as an NGSI-LD entity with only the attributes in <paramref name="only"/> (all when null), each as the
    /// whole entity has it: what testing and ordering a large selection need to look at. Name attributes are always
    /// built: an entity of another system's type shows the registry's name on the first of them it has.
    /// </summary>
    private static NgsiEntity ToEntity(Asset asset, bool publicOnly, IReadOnlySet<string>? only)
    {
        ArgumentNullException.ThrowIfNull(asset);
        bool Wanted(string iri) => only is null || only.Contains(iri) || IsNameAttribute(iri);
        var scopes = asset.Attributes.TryGetValue(ScopeIri, out var scope) && scope.Type == AttributeDataType.Ngsi
            ? JsonSerializer.Deserialize<List<string>>(scope.Text!)
            : null;
        var types = asset.Attributes.TryGetValue(TypesIri, out var stored) && stored.Type == AttributeDataType.Ngsi
            ? JsonSerializer.Deserialize<List<string>>(stored.Text!)!
            : [asset.Type.Iri];
        var entity = new NgsiEntity { Id = asset.Id.Value, Types = types, Scopes = scopes, CreatedAt = asset.CreatedAt, ModifiedAt = asset.ModifiedAt, Version = asset.Version };
        var at = NgsiEntityWriter.Instant(asset.ModifiedAt);
        if (!asset.Type.IsGeneric)
        {
            AddLifecycle(entity, asset, publicOnly, at, Wanted);
        }

        foreach (var (iri, value) in asset.Attributes)
        {
            if (IsReserved(iri) || !Wanted(iri) || (publicOnly && asset.PublicationOf(iri) != PublicationClass.Public))
            {
                continue;
            }

            if (value.Type != AttributeDataType.Ngsi)
            {
                entity.Attributes[iri] = [Typed(value, asset.Type.FindAttribute(iri)?.IsList == true, at)];
            }
            else if (Instances(value.Text!) is var kept && Agrees(asset, iri, kept))
            {
                entity.Attributes[iri] = kept;
            }
        }

        foreach (var group in asset.Relationships.GroupBy(r => r.Iri))
        {
            if (!Wanted(group.Key) || entity.Attributes.ContainsKey(group.Key) || (publicOnly && asset.PublicationOf(group.Key) != PublicationClass.Public))
            {
                continue;
            }

            var targets = group.Select(r => r.Target.Value).ToList();
            var list = asset.Type.FindAttribute(group.Key)?.IsList == true;
            entity.Attributes[group.Key] =
            [
                new JsonObject
                {
                    ["type"] = NgsiTerms.Relationship,
                    ["object"] = targets.Count == 1 && !list ? JsonValue.Create(targets[0]) : new JsonArray([.. targets.Select(t => JsonValue.Create(t))]),
                    ["createdAt"] = at, ["modifiedAt"] = at,
                },
            ];
        }

        if (asset.Type.IsGeneric && (!publicOnly || asset.PublicationOf(CoreName) == PublicationClass.Public))
        {
            ReflectName(entity, asset, at);
        }

        if (Wanted(NgsiTerms.Location) && !entity.Attributes.ContainsKey(NgsiTerms.Location) && asset.Geometry is { } geometry)
        {
            entity.Attributes[NgsiTerms.Location] =
            [
                new JsonObject { ["type"] = NgsiTerms.GeoProperty, ["value"] = JsonNode.Parse(GeoJson.Write(geometry)), ["createdAt"] = at, ["modifiedAt"] = at },
            ];
        }

        return entity;
    }

    private static List<JsonObject> Instances(string json) => JsonNode.Parse(json) switch
    {
        JsonArray array => [.. array.OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone())],
        JsonObject single => [single],
        _ => [],
    };

    private static JsonObject Typed(AttributeValue value, bool list, string at)
    {
        var instance = NgsiCatalogueMapping.Render(value, list);
        instance["createdAt"] = at;
        instance["modifiedAt"] = at;
        return instance;
    }

    /// <summary>
    /// Whether an attribute kept whole still agrees with the registry's fields it was projected onto (location,
    /// relationship targets, name, description, address): after a curator's edit in the UI the field wins.
    /// </summary>
    private static bool Agrees(Asset asset, string iri, List<JsonObject> kept)
    {
        if (kept.Count == 0)
        {
            return false;
        }

        if (iri == NgsiTerms.Location && kept.Find(i => i["datasetId"] is null) is { } located && located["type"]?.GetValue<string>() == NgsiTerms.GeoProperty)
        {
            try
            {
                // The registry keeps coordinates to 7 decimals (1 cm): compare as it writes them.
                return located["value"] is JsonObject g && asset.Geometry is { } geometry && GeoJson.Write(GeoJson.Read(g.ToJsonString())) == GeoJson.Write(geometry);
            }
            catch (JsonException)
            {
                return false;
            }
        }

        if (kept.Exists(i => i["type"]?.GetValue<string>() == NgsiTerms.Relationship))
        {
            var targets = kept.Where(i => i["type"]?.GetValue<string>() == NgsiTerms.Relationship)
                .SelectMany(i => i["object"] is JsonArray many ? many.Select(t => t!.GetValue<string>()) : [i["object"]!.GetValue<string>()])
                .ToHashSet(StringComparer.Ordinal);
            return targets.SetEquals(asset.Relationships.Where(r => r.Iri == iri).Select(r => r.Target.Value));
        }

        if (asset.Type.IsGeneric)
        {
            return true;
        }

        return iri == NgsiCatalogueMapping.NameIri ? NgsiCatalogueMapping.Projection("name", kept) == asset.Name
            : iri == NgsiCatalogueMapping.DescriptionIri ? NgsiCatalogueMapping.Projection("description", kept) == asset.Description
            : iri == NgsiCatalogueMapping.AddressIri ? NgsiCatalogueMapping.Projection("address", kept) == asset.Address
            : true;
    }

    /// <summary>The lifecycle columns of a catalogue asset as Properties named by CityTwin's terms (as the export writes them).</summary>
    private static void AddLifecycle(NgsiEntity entity, Asset asset, bool publicOnly, string at, Func<string, bool> wanted)
    {
        void Add(string term, JsonNode? value)
        {
            if (value is not null && wanted(CityTwinContext.Lifecycle[term])
                && (!publicOnly || asset.PublicationOf(CityTwinContext.Lifecycle[term]) == PublicationClass.Public))
            {
                entity.Attributes[CityTwinContext.Lifecycle[term]] = [new JsonObject { ["type"] = NgsiTerms.Property, ["value"] = value, ["createdAt"] = at, ["modifiedAt"] = at }];
            }
        }

        static JsonNode? Date(DateOnly? d) => d is { } day ? JsonValue.Create(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null;

        if (asset.Name != FallbackName(asset.Id.Value, asset.Type))
        {
            Add("name", asset.Name);
        }

        Add("description", asset.Description);
        Add("address", asset.Address is { } address ? new JsonObject { ["streetAddress"] = address } : null);
        Add("lifecycleStatus", asset.Status.ToString());
        Add("condition", asset.Condition);
        Add("inspectedOn", Date(asset.InspectedOn));
        Add("installedOn", Date(asset.InstalledOn));
        Add("expectedServiceLife", asset.ExpectedLifeYears);
        Add("replacementCost", asset.ReplacementCost is { } cost ? JsonValue.Create((double)cost) : null);
        Add("criticality", asset.Criticality);
        Add("ownerDepartment", asset.Department);

        Add("district", asset.DistrictCode);
        Add("publicationClass", asset.Publication.ToString());
    }

    /// <summary>The id of a route value: an entity id percent-encoded in the path ("%2F" stays encoded in ASP.NET routing).</summary>
    public static string IdFromRoute(string value) => Uri.UnescapeDataString(value ?? "");
}
