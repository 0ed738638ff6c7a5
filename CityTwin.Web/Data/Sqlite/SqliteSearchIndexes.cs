namespace CityTwin.Web.Data.Sqlite;

/// <summary>
/// SQLite-only index structures, kept in one place: an R*Tree over asset bounding boxes and an FTS5 index over asset
/// text, each maintained by triggers on <c>Assets</c> so every write path (EF, bulk insert, raw SQL) keeps them in step.
/// Applied by the <c>SearchIndexes</c> migration.
/// </summary>
internal static class SqliteSearchIndexes
{
    public const string RTreeTable = "AssetBounds";

    /// <summary>
    /// Entities with several types keep the others in their attribute document (NgsiEntityStore.TypesIri): a partial
    /// index finds those few rows without scanning documents. Queries must use exactly this condition to use it.
    /// </summary>
    public const string MultiTypedCondition = "instr(a.Attributes, 'https://w3id.org/citytwin/entityTypes') > 0";

    public const string CreateMultiTypedIndex = "CREATE INDEX IX_Assets_MultiTyped ON Assets (Seq) WHERE instr(Attributes, 'https://w3id.org/citytwin/entityTypes') > 0;";
    public const string TextTable = "AssetText";

    private const string BoundsInsertTrigger = """
        CREATE TRIGGER Assets_Bounds_Insert AFTER INSERT ON Assets WHEN new.MinLon IS NOT NULL
        BEGIN
            INSERT INTO AssetBounds (Seq, MinLon, MaxLon, MinLat, MaxLat) VALUES (new.Seq, new.MinLon, new.MaxLon, new.MinLat, new.MaxLat);
        END;
        """;

    private const string TextInsertTrigger = """
        CREATE TRIGGER Assets_Text_Insert AFTER INSERT ON Assets
        BEGIN
            INSERT INTO AssetText (rowid, Name, Description, Address, SearchText)
                VALUES (new.Seq, new.Name, new.Description, new.Address, new.SearchText);
        END;
        """;

    public const string Create = """
        CREATE VIRTUAL TABLE AssetBounds USING rtree(Seq, MinLon, MaxLon, MinLat, MaxLat);

        """ + BoundsInsertTrigger + """


        CREATE TRIGGER Assets_Bounds_Update AFTER UPDATE OF MinLon, MaxLon, MinLat, MaxLat ON Assets
        BEGIN
            DELETE FROM AssetBounds WHERE Seq = old.Seq;
            INSERT INTO AssetBounds (Seq, MinLon, MaxLon, MinLat, MaxLat)
                SELECT new.Seq, new.MinLon, new.MaxLon, new.MinLat, new.MaxLat WHERE new.MinLon IS NOT NULL;
        END;

        CREATE TRIGGER Assets_Bounds_Delete AFTER DELETE ON Assets
        BEGIN
            DELETE FROM AssetBounds WHERE Seq = old.Seq;
        END;

        CREATE VIRTUAL TABLE AssetText USING fts5(
            Name, Description, Address, SearchText,
            content='Assets', content_rowid='Seq', tokenize='unicode61 remove_diacritics 2');

        """ + TextInsertTrigger + """


        CREATE TRIGGER Assets_Text_Delete AFTER DELETE ON Assets
        BEGIN
            INSERT INTO AssetText (AssetText, rowid, Name, Description, Address, SearchText)
                VALUES ('delete', old.Seq, old.Name, old.Description, old.Address, old.SearchText);
        END;

        CREATE TRIGGER Assets_Text_Update AFTER UPDATE OF Name, Description, Address, SearchText ON Assets
        BEGIN
            INSERT INTO AssetText (AssetText, rowid, Name, Description, Address, SearchText)
                VALUES ('delete', old.Seq, old.Name, old.Description, old.Address, old.SearchText);
            INSERT INTO AssetText (rowid, Name, Description, Address, SearchText)
                VALUES (new.Seq, new.Name, new.Description, new.Address, new.SearchText);
        END;
        """;

    public const string Drop = """
        DROP TRIGGER IF EXISTS Assets_Text_Update;
        DROP TRIGGER IF EXISTS Assets_Text_Delete;
        DROP TRIGGER IF EXISTS Assets_Text_Insert;
        DROP TABLE IF EXISTS AssetText;
        DROP TRIGGER IF EXISTS Assets_Bounds_Delete;
        DROP TRIGGER IF EXISTS Assets_Bounds_Update;
        DROP TRIGGER IF EXISTS Assets_Bounds_Insert;
        DROP TABLE IF EXISTS AssetBounds;
        """;

    /// <summary>Asset rows whose bounding box intersects @west..@east × @south..@north, pre-filtered by the R*Tree
    /// (its 32-bit boxes are rounded outwards) and refined on the exact columns. CROSS JOIN pins the R*Tree as the
    /// outer loop: with ANALYZE statistics the planner otherwise prefers scanning Assets and probing the tree per row.</summary>
    public const string AssetsInBounds = """
        SELECT a.* FROM AssetBounds b CROSS JOIN Assets a
        WHERE a.Seq = b.Seq
          AND b.MaxLon >= {0} AND b.MinLon <= {1} AND b.MaxLat >= {2} AND b.MinLat <= {3}
          AND a.MaxLon >= {0} AND a.MinLon <= {1} AND a.MaxLat >= {2} AND a.MinLat <= {3}
        """;

    /// <summary>Asset rows matching an FTS5 query (build it with <see cref="ToMatchQuery"/>).</summary>
    public const string AssetsMatchingText = """
        SELECT a.* FROM Assets a WHERE a.Seq IN (SELECT rowid FROM AssetText WHERE AssetText MATCH {0})
        """;

    /// <summary>
    /// Turns free text typed by a user into a safe FTS5 query: each word becomes a quoted prefix term, all must match.
    /// FTS syntax characters in the input are treated as text, never as operators. Returns null when no word is left.
    /// </summary>
    public static string? ToMatchQuery(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string([.. w.Where(char.IsLetterOrDigit)]))
            .Where(w => w.Length > 0)
            .Take(16)
            .Select(w => "\"" + w + "\"*")
            .ToArray();
        return words.Length == 0 ? null : string.Join(' ', words);
    }

    /// <summary>
    /// Starts a bulk insert of assets inside <paramref name="transaction"/>: drops the two per-row insert triggers
    /// (measured: with them an insert costs ~4× the row itself) and returns the highest asset key so far. Call
    /// <see cref="ResumeInsertIndexingAsync"/> in the same transaction to index the new rows set-based and restore the
    /// triggers; a rollback restores them too (SQLite DDL is transactional), and the write lock held by the transaction
    /// keeps every other writer out meanwhile.
    /// </summary>
    public static async Task<long> SuspendInsertIndexingAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(Seq), 0) FROM Assets";
        var after = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        command.CommandText = "DROP TRIGGER Assets_Bounds_Insert; DROP TRIGGER Assets_Text_Insert;";
        await command.ExecuteNonQueryAsync(ct);
        return after;
    }

    /// <summary>Indexes the assets inserted after <paramref name="afterSeq"/> in two set-based statements and restores the insert triggers.</summary>
    public static async Task ResumeInsertIndexingAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, long afterSeq, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO AssetBounds (Seq, MinLon, MaxLon, MinLat, MaxLat)
                SELECT Seq, MinLon, MaxLon, MinLat, MaxLat FROM Assets WHERE Seq > $after AND MinLon IS NOT NULL;
            INSERT INTO AssetText (rowid, Name, Description, Address, SearchText)
                SELECT Seq, Name, Description, Address, SearchText FROM Assets WHERE Seq > $after;
            {BoundsInsertTrigger}
            {TextInsertTrigger}
            """;
        command.Parameters.AddWithValue("$after", afterSeq);
        await command.ExecuteNonQueryAsync(ct);
    }
}
