using CityTwin.Domain.Assets;
using CityTwin.Web.Data.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityTwin.Web.Data.Configurations;

internal sealed class AssetConfiguration : IEntityTypeConfiguration<AssetRecord>
{
    public void Configure(EntityTypeBuilder<AssetRecord> b)
    {
        b.ToTable("Assets");
        b.HasKey(a => a.Seq);
        b.Property(a => a.Seq).ValueGeneratedOnAdd();
        b.Property(a => a.Id).HasMaxLength(AssetId.MaxLength).IsRequired();
        // Unique through the alternate key AK_Assets_Id (principal of AssetLinks); a second unique index only slowed writes.
        b.Property(a => a.Type).HasMaxLength(100);
        b.Property(a => a.TypeIri).HasMaxLength(300);
        b.Property(a => a.Name).HasMaxLength(Asset.MaxNameLength);
        b.Property(a => a.Description).HasMaxLength(Asset.MaxDescriptionLength);
        b.Property(a => a.Address).HasMaxLength(Asset.MaxAddressLength);
        b.Property(a => a.Department).HasMaxLength(Asset.MaxDepartmentLength);
        b.Property(a => a.DistrictCode).HasMaxLength(32);
        b.Property(a => a.Status).HasMaxLength(32);
        b.Property(a => a.StatusBeforeDecommission).HasMaxLength(32);
        b.Property(a => a.Publication).HasMaxLength(16);
        b.Property(a => a.Version).IsConcurrencyToken();
        b.HasIndex(a => new { a.Type, a.Status });
        b.HasIndex(a => new { a.Type, a.DistrictCode });
        b.HasIndex(a => new { a.Type, a.Condition });
        b.HasIndex(a => a.DistrictCode);
        b.HasIndex(a => a.ModifiedAt);
        // Registry list sorts: the index order (plus the implicit rowid = Seq) serves ORDER BY … , Seq LIMIT/OFFSET,
        // and Status in the index lets the "not decommissioned" filter skip rows without reading them.
        b.HasIndex(a => new { a.Name, a.Status });
        b.HasIndex(a => new { a.Condition, a.Status });
        b.HasMany(a => a.Links).WithOne().HasForeignKey(l => l.AssetId).HasPrincipalKey(a => a.Id).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssetLinkConfiguration : IEntityTypeConfiguration<AssetLinkRecord>
{
    public void Configure(EntityTypeBuilder<AssetLinkRecord> b)
    {
        b.ToTable("AssetLinks");
        b.HasKey(l => new { l.AssetId, l.Iri, l.TargetId });
        b.Property(l => l.Iri).HasMaxLength(300);
        b.Property(l => l.TargetId).HasMaxLength(AssetId.MaxLength);
        b.HasIndex(l => l.TargetId);
    }
}
