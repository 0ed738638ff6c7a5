using CityTwin.Web.Data.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityTwin.Web.Data.Configurations;

internal sealed class AssetChangeConfiguration : IEntityTypeConfiguration<AssetChangeRecord>
{
    public void Configure(EntityTypeBuilder<AssetChangeRecord> b)
    {
        b.ToTable("AssetChanges");
        b.HasIndex(c => new { c.AssetId, c.Id });
        b.HasIndex(c => c.At);
        b.HasIndex(c => c.BatchId);
        b.Property(c => c.Field).HasMaxLength(400);
    }
}

internal sealed class AssetVersionConfiguration : IEntityTypeConfiguration<AssetVersionRecord>
{
    public void Configure(EntityTypeBuilder<AssetVersionRecord> b)
    {
        b.ToTable("AssetVersions");
        b.HasIndex(v => new { v.AssetId, v.ValidFrom });
        b.HasIndex(v => new { v.ValidFrom, v.ValidTo });
    }
}
