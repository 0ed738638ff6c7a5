using CityTwin.Web.Features.NgsiLd;
using Microsoft.Extensions.Options;

namespace CityTwin.Tests.Api;

/// <summary>The entity cache (ADR 0014) answers only for the exact row state and audience an entity was built for.</summary>
public sealed class NgsiEntityCacheTests
{
    private static NgsiEntity Entity(string id) => new() { Id = id, Types = ["https://example.org/T"], Version = 1 };

    [Fact]
    public void AnEntry_IsUsedOnlyForTheSameRowVersionInstantAndAudience()
    {
        using var cache = new NgsiEntityCache(Options.Create(new NgsiLdOptions { EntityCacheSize = 10 }));
        var stamp = new NgsiEntityCache.Stamp(7, 3, 1_700_000_000_000);
        var built = Entity("urn:ngsi-ld:T:7");
        built.Attributes["https://example.org/p"] = [System.Text.Json.Nodes.JsonNode.Parse("""{"type":"Property","value":{"a":[1,2]}}""")!.AsObject()];
        cache.Add(stamp, publicOnly: false, built);

        Assert.True(cache.TryGet(stamp, false, out var hit));
        Assert.Same(built, hit);
        Assert.False(cache.TryGet(stamp, true, out _)); // another audience
        Assert.False(cache.TryGet(stamp with { Version = 4 }, false, out _)); // changed since
        Assert.False(cache.TryGet(stamp with { ModifiedMs = 1_700_000_000_001 }, false, out _)); // re-created at another instant
        Assert.False(cache.TryGet(stamp with { Seq = 8 }, false, out _));
    }

    [Fact]
    public void SizeZero_TurnsTheCacheOff()
    {
        using var cache = new NgsiEntityCache(Options.Create(new NgsiLdOptions { EntityCacheSize = 0 }));
        var stamp = new NgsiEntityCache.Stamp(1, 1, 1);
        cache.Add(stamp, false, Entity("urn:ngsi-ld:T:1"));
        Assert.False(cache.Enabled);
        Assert.False(cache.TryGet(stamp, false, out _));
    }

    [Fact]
    public async Task TheCache_StaysWithinItsSize()
    {
        using var cache = new NgsiEntityCache(Options.Create(new NgsiLdOptions { EntityCacheSize = 100 }));
        for (var i = 0; i < 1_000; i++)
        {
            cache.Add(new NgsiEntityCache.Stamp(i, 1, 1), false, Entity("urn:ngsi-ld:T:" + i));
        }

        await Task.Delay(200); // compaction runs in the background
        var kept = Enumerable.Range(0, 1_000).Count(i => cache.TryGet(new NgsiEntityCache.Stamp(i, 1, 1), false, out _));
        Assert.InRange(kept, 1, 100);
    }
}
