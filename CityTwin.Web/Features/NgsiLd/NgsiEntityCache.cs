using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// Entities already built from their asset rows (ADR 0014), so a query page or a GET reads two integers per row
/// instead of a wide row, its JSON attribute document and the asset → entity mapping (~55 µs an entity). An entry is
/// keyed by the row (<c>Seq</c>) and the caller's view (public only or all), and is used only while the row still has
/// the version and modification instant it was built from: every write goes through the asset store, which bumps the
/// version, so nothing is ever invalidated by hand and a second app on the same database cannot be served stale data.
/// Bounded (<see cref="NgsiLdOptions.EntityCacheSize"/> entities, least recently used evicted first; 0 turns it off).
/// Cached entities are shared between requests: readers must not change them (the writers of the API build their own).
/// </summary>
public sealed class NgsiEntityCache : IDisposable
{
    private readonly MemoryCache? _cache;

    public NgsiEntityCache(IOptions<NgsiLdOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var size = options.Value.EntityCacheSize;
        Size = size;
        _cache = size > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = size, CompactionPercentage = 0.1 }) : null;
    }

    /// <summary>What makes a cached entity current: the row, its version and its last modification (Unix ms).</summary>
    public readonly record struct Stamp(long Seq, long Version, long ModifiedMs);

    private readonly record struct Key(long Seq, bool PublicOnly);

    private sealed record Entry(long Version, long ModifiedMs, NgsiEntity Entity);

    public bool Enabled => _cache is not null;

    /// <summary>How many entities it keeps at most.</summary>
    public int Size { get; }

    public bool TryGet(Stamp stamp, bool publicOnly, out NgsiEntity entity)
    {
        if (_cache?.Get(new Key(stamp.Seq, publicOnly)) is Entry e && e.Version == stamp.Version && e.ModifiedMs == stamp.ModifiedMs)
        {
            entity = e.Entity;
            return true;
        }

        entity = null!;
        return false;
    }

    /// <summary>Keeps an entity built from the row of <paramref name="stamp"/>; its JSON nodes are materialised first.</summary>
    public void Add(Stamp stamp, bool publicOnly, NgsiEntity entity)
    {
        if (_cache is null)
        {
            return;
        }

        // JsonNode.Parse builds objects and arrays lazily from their JSON: materialise every node now, so concurrent
        // readers of a shared entity never race to build the same node.
        foreach (var instances in entity.Attributes.Values)
        {
            instances.ForEach(Materialise);
        }

        using var entry = _cache.CreateEntry(new Key(stamp.Seq, publicOnly));
        entry.Size = 1;
        entry.Value = new Entry(stamp.Version, stamp.ModifiedMs, entity);
    }

    private static void Materialise(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    Materialise(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Materialise(child);
                }

                break;
        }
    }

    public void Dispose() => _cache?.Dispose();
}
