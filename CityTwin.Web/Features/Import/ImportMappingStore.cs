using System.Text.Json;
using CityTwin.Domain;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Import;

/// <summary>Saved import mappings, by name.</summary>
public sealed class ImportMappingStore(IDbContextFactory<CityTwinDbContext> dbFactory, TimeProvider time)
{
    public const int MaxNameLength = 100;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public async Task<IReadOnlyList<(string Name, ImportFormat Format, DateTimeOffset UpdatedAt, string UpdatedBy)>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ImportMappings.AsNoTracking().OrderBy(m => m.Name).ToListAsync(ct);
        return [.. rows.Select(r => (r.Name, Enum.Parse<ImportFormat>(r.Format), r.UpdatedAt, r.UpdatedBy))];
    }

    public async Task<ImportMapping?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ImportMappings.AsNoTracking().SingleOrDefaultAsync(m => m.Name == name, ct);
        return row is null ? null : JsonSerializer.Deserialize<ImportMapping>(row.Json, Json);
    }

    public async Task SaveAsync(string name, ImportFormat format, ImportMapping mapping, string by, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        name = Guard.RequiredText(name, "name", MaxNameLength);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ImportMappings.SingleOrDefaultAsync(m => m.Name == name, ct);
        if (row is null)
        {
            row = new ImportMappingRecord { Name = name };
            db.ImportMappings.Add(row);
        }

        row.Format = format.ToString();
        row.Json = JsonSerializer.Serialize(mapping, Json);
        row.UpdatedBy = by;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    public async Task DeleteAsync(string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.ImportMappings.Where(m => m.Name == name).ExecuteDeleteAsync(ct);
    }
}
