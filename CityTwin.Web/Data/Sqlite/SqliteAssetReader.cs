using System.Globalization;
using CityTwin.Web.Data.Records;
using Microsoft.Data.Sqlite;

namespace CityTwin.Web.Data.Sqlite;

/// <summary>
/// One asset row with its links, read straight through Microsoft.Data.Sqlite (no EF context): the hot path of
/// <c>GET /ngsi-ld/v1/entities/{id}</c> and of every edit's first read. An EF context plus the primary-key select cost
/// ~0.33 ms where the row itself takes ~0.03 ms (probe-ngsi, ADR 0009's reasoning for single rows). One statement
/// (asset LEFT JOIN links), so the row and its links come from one snapshot; links in the order EF's Include gives.
/// </summary>
internal sealed class SqliteAssetReader(string connectionString)
{
    /// <summary>The asset columns <see cref="Map"/> reads, in its order (alias <c>a</c>).</summary>
    public const string Columns =
        "a.Seq, a.Id, a.Type, a.TypeIri, a.Name, a.Description, a.Status, a.StatusBeforeDecommission, a.DecommissionedOn, a.Condition, " +
        "a.InspectedOn, a.InstalledOn, a.ExpectedLifeYears, a.ReplacementCost, a.Criticality, a.Department, a.DistrictCode, a.Address, a.Geometry, " +
        "a.MinLon, a.MinLat, a.MaxLon, a.MaxLat, a.Publication, a.Attributes, a.AttributePublication, a.SearchText, a.SourceSystem, " +
        "a.SourceReference, a.RecordedAt, a.RecordedBy, a.Version, a.CreatedAt, a.ModifiedAt";

    private const string WithLinks =
        "SELECT " + Columns + ", l.Iri, l.TargetId FROM Assets a LEFT JOIN AssetLinks l ON l.AssetId = a.Id ";

    public AssetRecord? Find(string id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = WithLinks + "WHERE a.Id = $id ORDER BY l.Iri, l.TargetId";
        command.Parameters.AddWithValue("$id", id);
        return ReadWithLinks(command).SingleOrDefault();
    }

    /// <summary>Several assets by id with their links, in one statement (one snapshot); ids not found are absent.</summary>
    public List<AssetRecord> FindMany(IEnumerable<string> ids)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = WithLinks + "WHERE a.Id IN (SELECT value FROM json_each($ids)) ORDER BY a.Id, l.Iri, l.TargetId";
        command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(ids));
        return ReadWithLinks(command);
    }

    /// <summary>Which of these ids are taken (decommissioned assets included), in one statement.</summary>
    public HashSet<string> Existing(IEnumerable<string> ids)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Assets WHERE Id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(ids));
        using var r = command.ExecuteReader();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read())
        {
            taken.Add(r.GetString(0));
        }

        return taken;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        SqlitePragmas.Apply(connection);
        return connection;
    }

    /// <summary>Rows of <see cref="WithLinks"/> ordered by asset: one record per asset, its links gathered.</summary>
    private static List<AssetRecord> ReadWithLinks(SqliteCommand command)
    {
        using var r = command.ExecuteReader();
        var records = new List<AssetRecord>();
        while (r.Read())
        {
            if (records.Count == 0 || records[^1].Id != r.GetString(1))
            {
                records.Add(Map(r));
            }

            if (!r.IsDBNull(34))
            {
                records[^1].Links.Add(new AssetLinkRecord { AssetId = records[^1].Id, Iri = r.GetString(34), TargetId = r.GetString(35) });
            }
        }

        return records;
    }

    /// <summary>One row of <see cref="Columns"/> as a record (links not included).</summary>
    public static AssetRecord Map(SqliteDataReader r) => new()
    {
        Seq = r.GetInt64(0),
        Id = r.GetString(1),
        Type = r.GetString(2),
        TypeIri = r.GetString(3),
        Name = r.GetString(4),
        Description = Text(r, 5),
        Status = r.GetString(6),
        StatusBeforeDecommission = Text(r, 7),
        DecommissionedOn = Date(r, 8),
        Condition = r.IsDBNull(9) ? null : r.GetInt32(9),
        InspectedOn = Date(r, 10),
        InstalledOn = Date(r, 11),
        ExpectedLifeYears = r.IsDBNull(12) ? null : r.GetInt32(12),
        ReplacementCost = Real(r, 13),
        Criticality = r.GetInt32(14),
        Department = Text(r, 15),
        DistrictCode = Text(r, 16),
        Address = Text(r, 17),
        Geometry = Text(r, 18),
        MinLon = Real(r, 19),
        MinLat = Real(r, 20),
        MaxLon = Real(r, 21),
        MaxLat = Real(r, 22),
        Publication = r.GetString(23),
        Attributes = r.GetString(24),
        AttributePublication = r.GetString(25),
        SearchText = Text(r, 26),
        SourceSystem = Text(r, 27),
        SourceReference = Text(r, 28),
        RecordedAt = r.IsDBNull(29) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(29)),
        RecordedBy = Text(r, 30),
        Version = r.GetInt64(31),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(32)),
        ModifiedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(33)),
    };

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static double? Real(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static DateOnly? Date(SqliteDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateOnly.ParseExact(r.GetString(i), "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
