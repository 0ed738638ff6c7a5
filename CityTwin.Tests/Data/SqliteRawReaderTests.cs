using CityTwin.Tests.Support;
using CityTwin.Web.Data.Sqlite;
using Microsoft.Data.Sqlite;

namespace CityTwin.Tests.Data;

/// <summary>The SQLite statement reader under the export: binding as Microsoft.Data.Sqlite binds, values as it reads them.</summary>
public sealed class SqliteRawReaderTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private SqliteConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _connection = _db.OpenConnection();
        using var create = _connection.CreateCommand();
        create.CommandText = """
            CREATE TABLE t (k INTEGER PRIMARY KEY, s TEXT, d TEXT, r REAL, n INTEGER);
            INSERT INTO t VALUES (1, 'café ☕', '2024-02-29', 1.5, 7), (2, '', NULL, NULL, NULL), (3, '<b>x</b>''; DROP', '1999-12-31', -0.25, 0);
            """;
        create.ExecuteNonQuery();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _db.DisposeAsync();
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    [Fact]
    public void Reads_TheSameValuesAsTheDataReader()
    {
        using var command = Command("SELECT k, s, d, r, n FROM t ORDER BY k");
        using var raw = SqliteRawReader.TryOpen(command);
        Assert.NotNull(raw);
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            Assert.True(raw.Read());
            rows++;
            Assert.Equal(reader.GetInt64(0), raw.Int64(raw.Ordinal("K")));
            Assert.Equal(reader.GetString(1), System.Text.Encoding.UTF8.GetString(raw.Utf8(1)));
            Assert.Equal(reader.IsDBNull(2), raw.IsNull(2));
            if (!reader.IsDBNull(2))
            {
                Assert.Equal(reader.GetFieldValue<DateOnly>(2), raw.Date(2));
                Assert.Equal(reader.GetDouble(3), raw.Double(3));
                Assert.Equal(reader.GetInt64(4), raw.Int64(4));
            }
        }

        Assert.Equal(3, rows);
        Assert.False(raw.Read());
        Assert.False(raw.Read());
        Assert.Equal(-1, raw.Ordinal("missing"));
    }

    [Theory]
    [InlineData("SELECT k FROM t WHERE s = @p", "café ☕", 1L)]
    [InlineData("SELECT k FROM t WHERE s = @p", "<b>x</b>'; DROP", 3L)]
    [InlineData("SELECT k FROM t WHERE n = @p", 7, 1L)]
    [InlineData("SELECT k FROM t WHERE n = @p", 0L, 3L)]
    [InlineData("SELECT k FROM t WHERE r < @p", 0.0, 3L)]
    [InlineData("SELECT k FROM t WHERE (n = 0) = @p AND n IS NOT NULL ORDER BY k", true, 3L)]
    [InlineData("SELECT k FROM t WHERE d IS @p ORDER BY k", null, 2L)]
    public void Binds_ParametersAsMicrosoftDataSqliteDoes(string sql, object? value, long expected)
    {
        using var command = Command(sql, ("@p", value));
        using var raw = SqliteRawReader.TryOpen(command);
        Assert.NotNull(raw);
        Assert.True(raw.Read());
        Assert.Equal(expected, raw.Int64(0));
        Assert.Equal(expected, Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Binds_DatesAsIsoText_AndRuns_AgainAfterRebinding()
    {
        using var command = Command("SELECT k FROM t WHERE d > @from AND k >= @k ORDER BY k", ("@from", new DateOnly(2000, 1, 1)), ("@k", 0L));
        using var raw = SqliteRawReader.TryOpen(command);
        Assert.NotNull(raw);
        Assert.True(raw.Read());
        Assert.Equal(1L, raw.Int64(0));
        Assert.False(raw.Read());

        raw.Restart();
        raw.Bind(2, 2);
        Assert.False(raw.Read());
    }

    [Fact]
    public void Declines_ParametersItDoesNotBindExactly_AndSeveralStatements()
    {
        using var guid = Command("SELECT k FROM t WHERE s = @p", ("@p", Guid.NewGuid()));
        Assert.Null(SqliteRawReader.TryOpen(guid));
        using var real = Command("SELECT k FROM t WHERE d = @p");
        real.Parameters.Add(new SqliteParameter("@p", SqliteType.Real) { Value = new DateOnly(2024, 2, 29) });
        Assert.Null(SqliteRawReader.TryOpen(real));
        using var two = Command("SELECT 1; SELECT 2");
        Assert.Null(SqliteRawReader.TryOpen(two));
        using var closed = new SqliteConnection(_db.ConnectionString);
        using var notOpen = closed.CreateCommand();
        notOpen.CommandText = "SELECT 1";
        Assert.Null(SqliteRawReader.TryOpen(notOpen));
    }

    [Fact]
    public void Reports_SqlErrors_AsSqliteExceptions()
    {
        using var command = Command("SELECT nope FROM t");
        var error = Assert.Throws<SqliteException>(() => SqliteRawReader.TryOpen(command));
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }
}
