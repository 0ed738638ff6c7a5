using System.Security.Cryptography;
using System.Text;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Security;

public enum ApiKeyScope
{
    Read,
    Write,
}

public sealed record ApiKeySummary(int Id, string Name, string Prefix, ApiKeyScope Scope, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>A key as shown once, right after it is created: the secret is not stored and cannot be shown again.</summary>
public sealed record CreatedApiKey(ApiKeySummary Key, string Token);

public sealed record ApiKeyIdentity(int Id, string Name, ApiKeyScope Scope);

/// <summary>Creates, lists, revokes and checks API keys. Tokens are random; only their SHA-256 hash is stored.</summary>
public sealed class ApiKeyService(IDbContextFactory<CityTwinDbContext> dbFactory, TimeProvider time, SecurityAudit audit)
{
    public const string TokenPrefix = "ctk_";
    public const int MaxNameLength = 100;

    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ApiKeys.AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenBy(k => k.Name).ToListAsync(ct);
        return [.. rows.Select(ToSummary)];
    }

    public async Task<CreatedApiKey> CreateAsync(string name, ApiKeyScope scope, string createdBy, CancellationToken ct = default)
    {
        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');
        return await StoreAsync(name, scope, token, createdBy, ct);
    }

    /// <summary>Stores a key whose secret the operator chose (the bootstrap key from configuration).</summary>
    public async Task<CreatedApiKey> StoreAsync(string name, ApiKeyScope scope, string token, string createdBy, CancellationToken ct = default)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
        {
            throw new ArgumentException($"A key name is 1 to {MaxNameLength} printable characters.", nameof(name));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = new ApiKeyRecord
        {
            Name = name,
            Prefix = token[..Math.Min(8, token.Length)],
            Hash = Hash(token),
            Scope = scope.ToString(),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("ApiKeyCreated", createdBy, name, $"scope {scope}", ct);
        return new CreatedApiKey(ToSummary(record), token);
    }

    public async Task<bool> RevokeAsync(int id, string revokedBy, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (record is null || record.RevokedAt is not null)
        {
            return false;
        }

        record.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        _recent.Clear(); // a revoked key stops working at once
        await audit.RecordAsync("ApiKeyRevoked", revokedBy, record.Name, null, ct);
        return true;
    }

    /// <summary>The active key for a presented token, or null.</summary>
    /// <summary>Keys seen in the last seconds (hash → identity and when it was read): a busy client costs no query per request.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ApiKeyIdentity Identity, DateTimeOffset ReadAt)> _recent = new(StringComparer.Ordinal);

    private static readonly TimeSpan RecentFor = TimeSpan.FromSeconds(10);

    public async Task<ApiKeyIdentity?> AuthenticateAsync(string token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        var hash = Hash(token);
        var now = time.GetUtcNow();
        if (_recent.TryGetValue(hash, out var seen) && now - seen.ReadAt < RecentFor)
        {
            return seen.Identity;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, ct);
        if (record is null)
        {
            _recent.TryRemove(hash, out _);
            return null;
        }

        if (record.LastUsedAt is null || now - record.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.ApiKeys.Where(k => k.Id == record.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }

        var identity = new ApiKeyIdentity(record.Id, record.Name, Enum.Parse<ApiKeyScope>(record.Scope));
        if (_recent.Count > 10_000)
        {
            _recent.Clear();
        }

        _recent[hash] = (identity, now);
        return identity;
    }

    public async Task<bool> AnyAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiKeys.AnyAsync(ct);
    }

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static ApiKeySummary ToSummary(ApiKeyRecord r) =>
        new(r.Id, r.Name, r.Prefix, Enum.Parse<ApiKeyScope>(r.Scope), r.CreatedAt, r.CreatedBy, r.RevokedAt, r.LastUsedAt);
}
