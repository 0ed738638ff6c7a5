using CityTwin.Web.Data.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityTwin.Web.Data.Configurations;

internal sealed class DistrictConfiguration : IEntityTypeConfiguration<DistrictRecord>
{
    public void Configure(EntityTypeBuilder<DistrictRecord> b)
    {
        b.ToTable("Districts");
        b.HasKey(d => d.Code);
        b.Property(d => d.Code).HasMaxLength(CityTwin.Domain.Districts.District.MaxCodeLength);
        b.Property(d => d.Name).HasMaxLength(CityTwin.Domain.Districts.District.MaxNameLength);
    }
}

internal sealed class ObservationSeriesConfiguration : IEntityTypeConfiguration<ObservationSeriesRecord>
{
    public void Configure(EntityTypeBuilder<ObservationSeriesRecord> b)
    {
        b.ToTable("ObservationSeries");
        b.HasKey(s => s.Id);
        b.HasIndex(s => new { s.SourceId, s.Quantity }).IsUnique();
        b.HasIndex(s => s.Quantity);
    }
}

internal sealed class ObservationConfiguration : IEntityTypeConfiguration<ObservationRecord>
{
    public void Configure(EntityTypeBuilder<ObservationRecord> b)
    {
        b.ToTable("Observations");
        b.HasKey(o => new { o.SeriesId, o.ObservedAt });
        b.HasOne<ObservationSeriesRecord>().WithMany().HasForeignKey(o => o.SeriesId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KpiDefinitionConfiguration : IEntityTypeConfiguration<KpiDefinitionRecord>
{
    public void Configure(EntityTypeBuilder<KpiDefinitionRecord> b)
    {
        b.ToTable("KpiDefinitions");
        b.HasKey(k => k.Code);
        b.Property(k => k.Code).HasMaxLength(CityTwin.Domain.Kpis.KpiDefinition.MaxCodeLength);
    }
}

internal sealed class RenewalBudgetConfiguration : IEntityTypeConfiguration<RenewalBudgetRecord>
{
    public void Configure(EntityTypeBuilder<RenewalBudgetRecord> b)
    {
        b.ToTable("RenewalBudgets");
        b.HasIndex(r => new { r.Year, r.AssetType }).IsUnique();
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKeyRecord>
{
    public void Configure(EntityTypeBuilder<ApiKeyRecord> b)
    {
        b.ToTable("ApiKeys");
        b.Property(k => k.Name).HasMaxLength(100);
        b.Property(k => k.Hash).HasMaxLength(64);
        b.HasIndex(k => k.Hash).IsUnique();
    }
}

internal sealed class SecurityEventConfiguration : IEntityTypeConfiguration<SecurityEventRecord>
{
    public void Configure(EntityTypeBuilder<SecurityEventRecord> b)
    {
        b.ToTable("SecurityEvents");
        b.HasIndex(e => e.At);
    }
}

internal sealed class ImportMappingConfiguration : IEntityTypeConfiguration<ImportMappingRecord>
{
    public void Configure(EntityTypeBuilder<ImportMappingRecord> b)
    {
        b.ToTable("ImportMappings");
        b.HasKey(m => m.Name);
        b.Property(m => m.Name).HasMaxLength(100);
        b.Property(m => m.Format).HasMaxLength(20);
    }
}
