using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SQLitePCL;

namespace CityTwin.Web.Data.Sqlite;

/// <summary>
/// Set-based insert of many records of one EF entity type through one prepared SQLite statement, inside the caller's
/// transaction. Table, columns and value converters come from the EF model, so the bulk path and EF write the same
/// columns the same way. Store-generated keys are left to the database. Values are bound by position straight on the
/// statement (SQLitePCLRaw, as <see cref="SqliteRawReader"/>): Microsoft.Data.Sqlite looks every parameter up by name on
/// every execution, which cost more than SQLite's own insert for wide rows.
/// </summary>
internal sealed class SqliteBulkInserter<T> : IDisposable where T : class
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Func<T, object?>[] _columns;
    private byte[] _utf8 = new byte[1024];

    public SqliteBulkInserter(CityTwinDbContext db, SqliteConnection connection, SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(connection);
        if (transaction?.Connection != connection)
        {
            throw new InvalidOperationException("Bulk inserts run inside a transaction of the same connection.");
        }

        (var sql, _columns) = Plans.GetValue(db.Model, Plan);
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>The statement and column readers of an entity type, built once per EF model (the API writes small groups).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IModel, Tuple<string, Func<T, object?>[]>> Plans = [];

    private static Tuple<string, Func<T, object?>[]> Plan(IModel model)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd && (p.ClrType == typeof(long) || p.ClrType == typeof(int))))
            .ToArray();
        var sql = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", properties.Select(p => "\"" + p.GetColumnName(table) + "\""))}) " +
            $"VALUES ({string.Join(", ", properties.Select((_, i) => "?" + (i + 1)))})";
        var columns = properties.Select(p =>
        {
            var getter = p.GetGetter();
            var converter = p.GetTypeMapping().Converter;
            var provider = Nullable.GetUnderlyingType(converter?.ProviderClrType ?? p.ClrType) ?? converter?.ProviderClrType ?? p.ClrType;
            if (provider != typeof(string) && provider != typeof(long) && provider != typeof(int) && provider != typeof(double)
                && provider != typeof(bool) && provider != typeof(DateOnly))
            {
                throw new NotSupportedException($"{typeof(T).Name}.{p.Name}: the bulk inserter does not bind {provider.Name}.");
            }

            Func<T, object?> get = converter is null
                ? e => getter.GetClrValue(e)
                : e => getter.GetClrValue(e) is { } v ? converter.ConvertToProvider(v) : null;
            return get;
        }).ToArray();
        return Tuple.Create(sql, columns);
    }

    public void Insert(T entity)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            Check(Bind(i + 1, _columns[i](entity)));
        }

        var rc = raw.sqlite3_step(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            var error = Error(rc);
            raw.sqlite3_reset(_statement);
            throw error;
        }

        Check(raw.sqlite3_reset(_statement));
    }

    /// <summary>Binds as Microsoft.Data.Sqlite does: integers and booleans as INTEGER, reals, UTF-8 text, dates as ISO text.</summary>
    private int Bind(int index, object? value) => value switch
    {
        null => raw.sqlite3_bind_null(_statement, index),
        string s => BindText(index, s),
        long l => raw.sqlite3_bind_int64(_statement, index, l),
        int n => raw.sqlite3_bind_int64(_statement, index, n),
        bool b => raw.sqlite3_bind_int64(_statement, index, b ? 1 : 0),
        double d => raw.sqlite3_bind_double(_statement, index, d),
        DateOnly d => BindText(index, d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException(value.GetType().Name),
    };

    private int BindText(int index, string text)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        }

        // SQLitePCLRaw binds spans as SQLITE_TRANSIENT (SQLite copies them), so the buffer is reused.
        var n = System.Text.Encoding.UTF8.GetBytes(text, _utf8);
        return raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, n));
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    private SqliteException Error(int rc) =>
        new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));

    public void Dispose() => _statement.Dispose();
}

internal static class SqliteConnectionExtensions
{
    public static async Task ExecuteAsync(this DbConnection connection, string sql, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
