using System.Diagnostics;
using SQLitePCL;

namespace CityTwin.Benchmarks;

/// <summary>probe-read: the export's 24-column scan through Microsoft.Data.Sqlite's data reader and straight from the statement.</summary>
public static class ReadProbe
{
    private const string Sql = "SELECT Seq, Id, Type, TypeIri, Name, Description, Status, Condition, InspectedOn, InstalledOn, ExpectedLifeYears, ReplacementCost, Criticality, Department, DistrictCode, Address, Geometry, MinLon, MinLat, MaxLon, MaxLat, Publication, Attributes, AttributePublication FROM Assets WHERE Status <> 'Decommissioned' ORDER BY Seq";

    public static void Run()
    {
        using var db = new BenchDatabase();
        db.Seed(10.0, 0);
        Console.WriteLine($"db file {new FileInfo(db.FilePath).Length / 1e6:F0} MB");
        for (var i = 0; i < 3; i++)
        {
            using var c = db.Open();
            var clock = Stopwatch.StartNew();
            long bytes = 0;
            var n = 0;
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = Sql;
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    n++;
                    for (var k = 0; k < 24; k++)
                    {
                        if (!r.IsDBNull(k))
                        {
                            bytes += r.GetFieldType(k) == typeof(string) ? r.GetString(k).Length : 8;
                        }
                    }
                }
            }

            var ado = clock.Elapsed.TotalSeconds;
            clock.Restart();
            long bytes2 = 0;
            var n2 = 0;
            raw.sqlite3_prepare_v2(c.Handle, Sql, out sqlite3_stmt stmt);
            using (stmt)
            {
                while (raw.sqlite3_step(stmt) == raw.SQLITE_ROW)
                {
                    n2++;
                    for (var k = 0; k < 24; k++)
                    {
                        switch (raw.sqlite3_column_type(stmt, k))
                        {
                            case raw.SQLITE_TEXT:
                                bytes2 += raw.sqlite3_column_blob(stmt, k).Length;
                                break;
                            case raw.SQLITE_INTEGER:
                                bytes2 += raw.sqlite3_column_int64(stmt, k) > 0 ? 8 : 8;
                                break;
                            case raw.SQLITE_FLOAT:
                                bytes2 += raw.sqlite3_column_double(stmt, k) > 0 ? 8 : 8;
                                break;
                        }
                    }
                }
            }

            Console.WriteLine($"ado {n} rows {bytes} chars in {ado:F2} s; raw {n2} rows {bytes2} bytes in {clock.Elapsed.TotalSeconds:F2} s");
        }
    }
}
