using CityTwin.Web.Data.Records;
using CityTwin.Web.Features.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CityTwin.Web.Data;

/// <summary>
/// The one database of CityTwin: assets, districts, observations, KPIs, budgets, API keys, the security audit and the
/// ASP.NET Core Identity tables. Use one context per operation through <c>IDbContextFactory&lt;CityTwinDbContext&gt;</c>.
/// Provider-specific SQL (R*Tree, FTS5, bulk inserts) lives in <c>Data/Sqlite</c>.
/// New migration: <c>dotnet ef migrations add &lt;Name&gt; --project CityTwin.Web --output-dir Data/Migrations</c>.
/// </summary>
public sealed class CityTwinDbContext(DbContextOptions<CityTwinDbContext> options)
    : IdentityDbContext<CityTwinUser, IdentityRole, string>(options)
{
    public DbSet<AssetRecord> Assets => Set<AssetRecord>();
    public DbSet<AssetLinkRecord> AssetLinks => Set<AssetLinkRecord>();
    public DbSet<DistrictRecord> Districts => Set<DistrictRecord>();
    public DbSet<ObservationSeriesRecord> ObservationSeries => Set<ObservationSeriesRecord>();
    public DbSet<ObservationRecord> Observations => Set<ObservationRecord>();
    public DbSet<KpiDefinitionRecord> KpiDefinitions => Set<KpiDefinitionRecord>();
    public DbSet<RenewalBudgetRecord> RenewalBudgets => Set<RenewalBudgetRecord>();
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<SecurityEventRecord> SecurityEvents => Set<SecurityEventRecord>();
    public DbSet<AssetChangeRecord> AssetChanges => Set<AssetChangeRecord>();
    public DbSet<AssetVersionRecord> AssetVersions => Set<AssetVersionRecord>();
    public DbSet<ImportMappingRecord> ImportMappings => Set<ImportMappingRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CityTwinDbContext).Assembly);
        Sqlite.SqliteJson.Register(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset text; store instants as Unix milliseconds (UTC).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}
