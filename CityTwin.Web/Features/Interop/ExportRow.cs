using System.Text;
using CityTwin.Web.Data.Sqlite;
using CityTwin.Web.Infrastructure;

namespace CityTwin.Web.Features.Interop;

/// <summary>One exported row, reused across batches; read by column ordinal from a data reader.</summary>
internal sealed class ExportRow
{
    public long Seq;
    public string Id = "";
    public string Type = "";
    public string TypeIri = "";
    public string Name = "";
    public string? Description;
    public string Status = "";
    public int? Condition;
    public DateOnly? InspectedOn;
    public DateOnly? InstalledOn;
    public int? ExpectedLifeYears;
    public double? ReplacementCost;
    public int Criticality;
    public string? Department;
    public string? DistrictCode;
    public string? Address;
    /// <summary>The GeoJSON geometry as UTF-8 (empty when none), in a buffer reused by the next row.</summary>
    public ReadOnlyMemory<byte> Geometry;
    public double? MinLon;
    public double? MinLat;
    public double? MaxLon;
    public double? MaxLat;
    public string Publication = "";
    /// <summary>The stored attribute document as UTF-8, in a buffer reused by the next row.</summary>
    public ReadOnlyMemory<byte> Attributes;
    public string AttributePublication = "{}";
    public readonly List<(string Iri, string Target)> Links = [];
    private byte[] _geometry = new byte[256];
    private byte[] _attributes = new byte[1024];

    public void Read(System.Data.Common.DbDataReader r, Columns c)
    {
        Seq = r.GetInt64(c.Seq);
        Id = r.GetString(c.Id);
        Type = r.GetString(c.Type);
        TypeIri = r.GetString(c.TypeIri);
        Name = r.GetString(c.Name);
        Description = r.IsDBNull(c.Description) ? null : r.GetString(c.Description);
        Status = r.GetString(c.Status);
        Condition = r.IsDBNull(c.Condition) ? null : r.GetInt32(c.Condition);
        InspectedOn = r.IsDBNull(c.InspectedOn) ? null : r.GetFieldValue<DateOnly>(c.InspectedOn);
        InstalledOn = r.IsDBNull(c.InstalledOn) ? null : r.GetFieldValue<DateOnly>(c.InstalledOn);
        ExpectedLifeYears = r.IsDBNull(c.ExpectedLifeYears) ? null : r.GetInt32(c.ExpectedLifeYears);
        ReplacementCost = r.IsDBNull(c.ReplacementCost) ? null : r.GetDouble(c.ReplacementCost);
        Criticality = r.GetInt32(c.Criticality);
        Department = r.IsDBNull(c.Department) ? null : r.GetString(c.Department);
        DistrictCode = r.IsDBNull(c.DistrictCode) ? null : r.GetString(c.DistrictCode);
        Address = r.IsDBNull(c.Address) ? null : r.GetString(c.Address);
        Geometry = r.IsDBNull(c.Geometry) ? default : Utf8(r, c.Geometry, ref _geometry);
        MinLon = r.IsDBNull(c.MinLon) ? null : r.GetDouble(c.MinLon);
        MinLat = r.IsDBNull(c.MinLat) ? null : r.GetDouble(c.MinLat);
        MaxLon = r.IsDBNull(c.MaxLon) ? null : r.GetDouble(c.MaxLon);
        MaxLat = r.IsDBNull(c.MaxLat) ? null : r.GetDouble(c.MaxLat);
        Publication = r.GetString(c.Publication);
        Attributes = Utf8(r, c.Attributes, ref _attributes);
        AttributePublication = r.GetString(c.AttributePublication);
        Links.Clear();
    }

    /// <summary>
    /// Reads the current row of SQLite's statement: repeated values (type, status, district, publication…) from the
    /// cache, UTF-8 columns copied into the row's reused buffers, no other string.
    /// </summary>
    public void Read(SqliteRawReader r, Columns c, Utf8StringCache strings)
    {
        Seq = r.Int64(c.Seq);
        Id = Encoding.UTF8.GetString(r.Utf8(c.Id));
        Type = strings.Get(r.Utf8(c.Type));
        TypeIri = strings.Get(r.Utf8(c.TypeIri));
        Name = Encoding.UTF8.GetString(r.Utf8(c.Name));
        Description = r.IsNull(c.Description) ? null : Encoding.UTF8.GetString(r.Utf8(c.Description));
        Status = strings.Get(r.Utf8(c.Status));
        Condition = r.IsNull(c.Condition) ? null : (int)r.Int64(c.Condition);
        InspectedOn = r.IsNull(c.InspectedOn) ? null : r.Date(c.InspectedOn);
        InstalledOn = r.IsNull(c.InstalledOn) ? null : r.Date(c.InstalledOn);
        ExpectedLifeYears = r.IsNull(c.ExpectedLifeYears) ? null : (int)r.Int64(c.ExpectedLifeYears);
        ReplacementCost = r.IsNull(c.ReplacementCost) ? null : r.Double(c.ReplacementCost);
        Criticality = (int)r.Int64(c.Criticality);
        Department = r.IsNull(c.Department) ? null : strings.Get(r.Utf8(c.Department));
        DistrictCode = r.IsNull(c.DistrictCode) ? null : strings.Get(r.Utf8(c.DistrictCode));
        Address = r.IsNull(c.Address) ? null : Encoding.UTF8.GetString(r.Utf8(c.Address));
        Geometry = r.IsNull(c.Geometry) ? default : Copy(r.Utf8(c.Geometry), ref _geometry);
        MinLon = r.IsNull(c.MinLon) ? null : r.Double(c.MinLon);
        MinLat = r.IsNull(c.MinLat) ? null : r.Double(c.MinLat);
        MaxLon = r.IsNull(c.MaxLon) ? null : r.Double(c.MaxLon);
        MaxLat = r.IsNull(c.MaxLat) ? null : r.Double(c.MaxLat);
        Publication = strings.Get(r.Utf8(c.Publication));
        Attributes = Copy(r.Utf8(c.Attributes), ref _attributes);
        AttributePublication = strings.Get(r.Utf8(c.AttributePublication));
        Links.Clear();
    }

    private static ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> utf8, ref byte[] buffer)
    {
        if (utf8.Length > buffer.Length)
        {
            buffer = new byte[Math.Max(utf8.Length, buffer.Length * 2)];
        }

        utf8.CopyTo(buffer);
        return buffer.AsMemory(0, utf8.Length);
    }

    /// <summary>
    /// A text column as UTF-8 in a reused buffer (Microsoft.Data.Sqlite's GetBytes on text measured 3× slower than
    /// GetString plus encoding).
    /// </summary>
    private static ReadOnlyMemory<byte> Utf8(System.Data.Common.DbDataReader r, int ordinal, ref byte[] buffer)
    {
        var text = r.GetString(ordinal);
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max > buffer.Length)
        {
            buffer = new byte[Math.Max(max, buffer.Length * 2)];
        }

        return buffer.AsMemory(0, Encoding.UTF8.GetBytes(text, buffer));
    }

    /// <summary>Column ordinals by name, so the reader does not depend on the order EF writes the projection in.</summary>
    internal sealed record Columns(
        int Seq, int Id, int Type, int TypeIri, int Name, int Description, int Status, int Condition, int InspectedOn, int InstalledOn,
        int ExpectedLifeYears, int ReplacementCost, int Criticality, int Department, int DistrictCode, int Address, int Geometry,
        int MinLon, int MinLat, int MaxLon, int MaxLat, int Publication, int Attributes, int AttributePublication)
    {
        public static Columns Of(System.Data.Common.DbDataReader r) => Of(r.GetOrdinal);

        public static Columns Of(SqliteRawReader r) => Of(name => r.Ordinal(name) is var i and >= 0 ? i
            : throw new InvalidOperationException($"The export query has no column {name}."));

        private static Columns Of(Func<string, int> o) => new(
            o("Seq"), o("Id"), o("Type"), o("TypeIri"), o("Name"), o("Description"), o("Status"), o("Condition"), o("InspectedOn"),
            o("InstalledOn"), o("ExpectedLifeYears"), o("ReplacementCost"), o("Criticality"), o("Department"), o("DistrictCode"),
            o("Address"), o("Geometry"), o("MinLon"), o("MinLat"), o("MaxLon"), o("MaxLat"), o("Publication"), o("Attributes"),
            o("AttributePublication"));
    }
}
