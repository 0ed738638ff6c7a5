using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Security;

public sealed record SecurityEvent(DateTimeOffset At, string Kind, string Actor, string? Subject, string? Detail);

/// <summary>Append-only audit of sign-ins and administrative acts.</summary>
public sealed class SecurityAudit(IDbContextFactory<CityTwinDbContext> dbFactory, TimeProvider time, ILogger<SecurityAudit> logger)
{
    public async Task RecordAsync(string kind, string actor, string? subject, string? detail, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.SecurityEvents.Add(new SecurityEventRecord
        {
            At = time.GetUtcNow(),
            Kind = kind,
            Actor = Truncate(actor, 256),
            Subject = subject is null ? null : Truncate(subject, 256),
            Detail = detail is null ? null : Truncate(detail, 1000),
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Security event {Kind} by {Actor} on {Subject}", kind, actor, subject);
    }

    public async Task<IReadOnlyList<SecurityEvent>> RecentAsync(int count, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SecurityEvents.AsNoTracking().OrderByDescending(e => e.Id).Take(Math.Clamp(count, 1, 1000))
            .Select(e => new SecurityEvent(e.At, e.Kind, e.Actor, e.Subject, e.Detail)).ToListAsync(ct);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
