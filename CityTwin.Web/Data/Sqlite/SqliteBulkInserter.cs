using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CityTwin.Web.Data.Sqlite;

/// <summary>
/// Set-based insert of many records of one EF entity type through one prepared SQLite command, inside the caller's
/// transaction. Table, columns and value converters come from the EF model, so the bulk path and EF write the same
/// columns the same way. Store-generated keys are left to the database.
/// </summary>
internal sealed class SqliteBulkInserter<T> : IDisposable where T : class
{
    private readonly SqliteCommand _command;
    private readonly (Func<T, object?> Get, SqliteParameter Parameter)[] _columns;

    public SqliteBulkInserter(CityTwinDbContext db, SqliteConnection connection, SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd && (p.ClrType == typeof(long) || p.ClrType == typeof(int))))
            .ToArray();
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText =
            $"INSERT INTO \"{table.Name}\" ({string.Join(", ", properties.Select(p => "\"" + p.GetColumnName(table) + "\""))}) " +
            $"VALUES ({string.Join(", ", properties.Select((_, i) => "@p" + i))})";
        _columns = properties.Select((p, i) =>
        {
            var getter = p.GetGetter();
            var converter = p.GetTypeMapping().Converter;
            var parameter = _command.CreateParameter();
            parameter.ParameterName = "@p" + i;
            _command.Parameters.Add(parameter);
            Func<T, object?> get = converter is null
                ? e => getter.GetClrValue(e)
                : e => getter.GetClrValue(e) is { } v ? converter.ConvertToProvider(v) : null;
            return (get, parameter);
        }).ToArray();
        _command.Prepare();
    }

    public void Insert(T entity)
    {
        foreach (var (get, parameter) in _columns)
        {
            parameter.Value = ToDbValue(get(entity));
        }

        _command.ExecuteNonQuery();
    }

    private static object ToDbValue(object? value) => value switch
    {
        null => DBNull.Value,
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? 1L : 0L,
        _ => value,
    };

    public void Dispose() => _command.Dispose();
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
