using System.Globalization;
using CityTwin.Domain.Assets;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>Discovery's inventory (/types, /attributes): what each visible entity contributes, kept by row stamp.</summary>
public sealed partial class NgsiEntityStore
{
    /// <summary>What the registry holds, for discovery (/types, /attributes): per type IRI its entity count and, per attribute IRI, its NGSI-LD types and count.</summary>
    public sealed record Inventory(
        Dictionary<string, (int Entities, Dictionary<string, SortedSet<string>> Attributes)> Types,
        Dictionary<string, (int Count, SortedSet<string> AttributeTypes, SortedSet<string> TypeNames)> Attributes);

    /// <summary>What one entity adds to the inventory: its types and, per attribute, the NGSI-LD types of its instances.</summary>
    private sealed record Signature(string[] Types, (string Iri, string[] Kinds)[] Attributes);

    private sealed record SignatureEntry(long Version, long ModifiedMs, Signature Signature);

    /// <summary>
    /// The signature of every visible row, by view (public only or all), as of the last inventory: rebuilt each time
    /// from the current row stamps, so deleted rows drop out and only rows changed since are read again. Signatures
    /// are shared (interned): a registry of 100k entities has a few hundred distinct ones.
    /// </summary>
    private readonly Dictionary<bool, Dictionary<long, SignatureEntry>> _signatures = [];
    private readonly SemaphoreSlim _inventoryGate = new(1, 1);

    public void Dispose() => _inventoryGate.Dispose();

    /// <summary>
    /// The inventory of every entity the caller may see. On SQLite one narrow pass over the row stamps, and only the
    /// rows changed since the last inventory are turned into entities (streamed, not kept): /types and /attributes
    /// at 100k entities took 12–20 s and 3.4 GB when every entity was built and held for each call.
    /// </summary>
    public async Task<Inventory> InventoryAsync(bool publicOnly, CancellationToken ct)
    {
        var counted = new Dictionary<Signature, int>(ReferenceEqualityComparer.Instance);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!db.Database.IsSqlite())
            {
                var (page, _) = await QueryAsync(null, null, publicOnly, _ => true, 0, int.MaxValue, ct);
                var interned = new Dictionary<string, Signature>(StringComparer.Ordinal);
                foreach (var entity in page)
                {
                    var signature = SignatureOf(entity, interned);
                    counted[signature] = counted.GetValueOrDefault(signature) + 1;
                }
            }
            else
            {
                await _inventoryGate.WaitAsync(ct);
                try
                {
                    await CountSignaturesAsync(db, publicOnly, counted, ct);
                }
                finally
                {
                    _inventoryGate.Release();
                }
            }
        }

        var types = new Dictionary<string, (int, Dictionary<string, SortedSet<string>>)>(StringComparer.Ordinal);
        var attributes = new Dictionary<string, (int, SortedSet<string>, SortedSet<string>)>(StringComparer.Ordinal);
        foreach (var (signature, n) in counted)
        {
            foreach (var type in signature.Types)
            {
                var (count, byAttribute) = types.TryGetValue(type, out var known) ? known : (0, new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal));
                foreach (var (iri, kinds) in signature.Attributes)
                {
                    if (!byAttribute.TryGetValue(iri, out var set))
                    {
                        byAttribute[iri] = set = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    set.UnionWith(kinds);
                }

                types[type] = (count + n, byAttribute);
            }

            foreach (var (iri, kinds) in signature.Attributes)
            {
                var (count, set, typeNames) = attributes.TryGetValue(iri, out var known)
                    ? known : (0, new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal));
                set.UnionWith(kinds);
                typeNames.UnionWith(signature.Types);
                attributes[iri] = (count + n, set, typeNames);
            }
        }

        return new Inventory(types, attributes);
    }

    /// <summary>
    /// The type IRIs of the entities the caller may see, from the database (null when not on SQLite): the type column
    /// of single-typed rows, and the types of the few rows with several (their other types live in the attribute
    /// document).
    /// </summary>
    public async Task<HashSet<string>?> TypeNamesAsync(bool publicOnly, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Database.IsSqlite())
        {
            return null;
        }

        var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var types = new HashSet<string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT DISTINCT a.Type FROM Assets a WHERE {Visible(publicOnly)} AND NOT ({SqliteSearchIndexes.MultiTypedCondition})";
            using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                types.Add(AssetTypeCatalog.Get(reader.GetString(0)).Iri);
            }
        }

        var multiTyped = await SeqsAsync(connection, $"{SqliteSearchIndexes.MultiTypedCondition} AND {Visible(publicOnly)}", null, ct);
        foreach (var chunk in multiTyped.Chunk(1000))
        {
            foreach (var record in ReadRows(connection, [.. chunk]))
            {
                types.UnionWith(Built(record, publicOnly, keep: false).Types);
            }
        }

        return types;
    }

    private async Task CountSignaturesAsync(CityTwinDbContext db, bool publicOnly, Dictionary<Signature, int> counted, CancellationToken ct)
    {
        var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var stamps = new List<NgsiEntityCache.Stamp>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT a.Seq, a.Version, a.ModifiedAt FROM Assets a WHERE {Visible(publicOnly)}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                stamps.Add(new NgsiEntityCache.Stamp(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        var previous = _signatures.GetValueOrDefault(publicOnly) ?? [];
        var interned = previous.Values.Select(e => e.Signature).Distinct().ToDictionary(Key, StringComparer.Ordinal);
        var next = new Dictionary<long, SignatureEntry>(stamps.Count);
        var missing = new List<long>();
        foreach (var stamp in stamps)
        {
            if (previous.TryGetValue(stamp.Seq, out var entry) && entry.Version == stamp.Version && entry.ModifiedMs == stamp.ModifiedMs)
            {
                next[stamp.Seq] = entry;
            }
            else
            {
                missing.Add(stamp.Seq);
            }
        }

        foreach (var chunk in missing.Chunk(1000))
        {
            ct.ThrowIfCancellationRequested();
            foreach (var record in ReadRows(connection, [.. chunk]))
            {
                // Built without entering the entity cache: a whole-registry pass would only push the hot entities out.
                var entity = cache.TryGet(new NgsiEntityCache.Stamp(record.Seq, record.Version, record.ModifiedAt.ToUnixTimeMilliseconds()), publicOnly, out var hit)
                    ? hit
                    : ToEntity(AssetMapper.ToDomain(record), publicOnly);
                if (record.Status != nameof(AssetStatus.Decommissioned) && (!publicOnly || record.Publication == nameof(PublicationClass.Public)))
                {
                    next[record.Seq] = new SignatureEntry(record.Version, record.ModifiedAt.ToUnixTimeMilliseconds(), SignatureOf(entity, interned));
                }
            }
        }

        _signatures[publicOnly] = next;
        foreach (var entry in next.Values)
        {
            counted[entry.Signature] = counted.GetValueOrDefault(entry.Signature) + 1;
        }
    }

    private static Signature SignatureOf(NgsiEntity entity, Dictionary<string, Signature> interned)
    {
        var signature = new Signature([.. entity.Types],
            [.. entity.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => (a.Key, a.Value.Select(i => i["type"]?.GetValue<string>() ?? NgsiTerms.Property).Distinct().Order(StringComparer.Ordinal).ToArray()))]);
        var key = Key(signature);
        if (!interned.TryGetValue(key, out var shared))
        {
            interned[key] = shared = signature;
        }

        return shared;
    }

    private static string Key(Signature s) =>
        string.Join('\u001f', s.Types) + "\u001e" + string.Join('\u001e', s.Attributes.Select(a => a.Iri + "\u001f" + string.Join('\u001f', a.Kinds)));
}
