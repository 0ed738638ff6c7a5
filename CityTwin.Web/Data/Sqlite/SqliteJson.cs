using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Data.Sqlite;

/// <summary>
/// SQLite's JSON functions for LINQ over stored attribute documents (data-quality checks): <c>json_type</c> and
/// <c>json_extract</c>. Only callable inside queries.
/// </summary>
public static class SqliteJson
{
    /// <summary><c>json_type(json, path)</c>: 'integer', 'real', 'text', … or null when the path is absent.</summary>
    public static string? Type(string json, string path) => throw new NotSupportedException("Only inside a database query.");

    /// <summary><c>json_extract(json, path)</c> read as a number (test <see cref="Type"/> first).</summary>
    public static double? Number(string json, string path) => throw new NotSupportedException("Only inside a database query.");

    /// <summary>The path of an attribute's main value in a stored attribute document.</summary>
    public static string ValuePath(string iri) => "$.\"" + iri.Replace("\"", "", StringComparison.Ordinal) + "\".value";

    internal static void Register(ModelBuilder builder)
    {
        builder.HasDbFunction(typeof(SqliteJson).GetMethod(nameof(Type))!).HasName("json_type").IsBuiltIn();
        builder.HasDbFunction(typeof(SqliteJson).GetMethod(nameof(Number))!).HasName("json_extract").IsBuiltIn();
    }
}
