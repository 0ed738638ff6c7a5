using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CityTwin.Web.Data.Sqlite;

/// <summary>Per-connection SQLite settings: WAL durability trade-off, foreign keys and a busy timeout.</summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const string Statements =
        "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -16000; PRAGMA mmap_size = 268435456;";

    /// <summary>
    /// Physical connections (SQLite handles, reused by Microsoft.Data.Sqlite's pool) that already have the PRAGMAs:
    /// they are per-connection settings, so each handle needs them once, not on every open of a pooled connection.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (FirstOpen(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Statements;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (FirstOpen(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Statements;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The same settings on a connection opened outside EF (raw readers), once per physical handle.</summary>
    public static void Apply(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        if (FirstOpen(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Statements;
            command.ExecuteNonQuery();
        }
    }

    private static bool FirstOpen(DbConnection connection) =>
        connection is not Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle } || Configured.TryAdd(handle, handle);
}
