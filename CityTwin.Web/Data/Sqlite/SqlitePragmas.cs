using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CityTwin.Web.Data.Sqlite;

/// <summary>Per-connection SQLite settings: WAL durability trade-off, foreign keys and a busy timeout.</summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const string Statements =
        "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -16000; PRAGMA mmap_size = 268435456;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Statements;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Statements;
        command.ExecuteNonQuery();
    }
}
