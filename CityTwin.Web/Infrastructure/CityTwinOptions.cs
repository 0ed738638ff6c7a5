using Microsoft.Extensions.Options;

namespace CityTwin.Web.Infrastructure;

/// <summary>Database settings: <c>CityTwin:Database</c>. The connection string is <c>ConnectionStrings:CityTwin</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "CityTwin:Database";
    public const string ConnectionStringKey = "ConnectionStrings:CityTwin";
    public const string DefaultConnectionString = "Data Source=App_Data/citytwin.db";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = "Sqlite";

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var p) ? p : DatabaseProvider.Unknown;
}

public enum DatabaseProvider
{
    Unknown,
    Sqlite,
    Postgres,
}

/// <summary>Demo data: <c>CityTwin:Seed</c>.</summary>
public sealed class SeedOptions
{
    public const string Section = "CityTwin:Seed";

    /// <summary>Seed the demo city into an empty database (default true).</summary>
    public bool DemoCity { get; set; } = true;

    /// <summary>Size factor of the demo city: 1 = ~10k assets and 50 sensors; 10 = ~100k assets (benchmarks).</summary>
    public double Scale { get; set; } = 1.0;

    /// <summary>Days of hourly observations per sensor (default two years).</summary>
    public int ObservationDays { get; set; } = 730;

    /// <summary>Random seed of the generator: the same seed and day give the same city.</summary>
    public int RandomSeed { get; set; } = 20261127;
}

/// <summary>Bootstrap credentials: <c>CityTwin:Security</c> (environment <c>CityTwin__Security__…</c>).</summary>
public sealed class SecurityOptions
{
    public const string Section = "CityTwin:Security";
    public const string BootstrapAdminEmail = "admin@citytwin.local";
    public const int MinApiKeyLength = 24;

    /// <summary>Creates the first administrator (<see cref="BootstrapAdminEmail"/>) on an empty user store.</summary>
    public string? BootstrapAdminPassword { get; set; }

    /// <summary>Creates a write-scoped API key with this secret on an empty key store.</summary>
    public string? BootstrapApiKey { get; set; }
}

/// <summary>Map settings: <c>CityTwin:Map</c>.</summary>
public sealed class MapOptions
{
    public const string Section = "CityTwin:Map";

    /// <summary>Basemap tile URL template; empty = no tiles (offline: district outlines only).</summary>
    public string? TileUrl { get; set; } = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    public string TileAttribution { get; set; } = "© OpenStreetMap contributors";
}

/// <summary>File import: <c>CityTwin:Import</c>.</summary>
public sealed class ImportOptions
{
    public const string Section = "CityTwin:Import";

    /// <summary>The largest file the wizard and <c>POST /api/imports</c> accept, in MB (default 100, at most 2,048).</summary>
    public int MaxFileMegabytes { get; set; } = 100;

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024L;
}

internal sealed class ImportOptionsValidator : IValidateOptions<ImportOptions>
{
    public ValidateOptionsResult Validate(string? name, ImportOptions options) =>
        options.MaxFileMegabytes is >= 1 and <= 2048
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{ImportOptions.Section}:MaxFileMegabytes must be between 1 and 2048; got {options.MaxFileMegabytes}.");
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) => options.ParsedProvider switch
    {
        DatabaseProvider.Sqlite => ValidateOptionsResult.Success,
        DatabaseProvider.Postgres => ValidateOptionsResult.Fail(
            $"{DatabaseOptions.Section}:Provider is 'Postgres', which this build does not support yet; use 'Sqlite'."),
        _ => ValidateOptionsResult.Fail(
            $"{DatabaseOptions.Section}:Provider '{options.Provider}' is unknown; use 'Sqlite' or 'Postgres'."),
    };
}

internal sealed class SeedOptionsValidator : IValidateOptions<SeedOptions>
{
    public ValidateOptionsResult Validate(string? name, SeedOptions options)
    {
        var failures = new List<string>();
        if (!double.IsFinite(options.Scale) || options.Scale <= 0 || options.Scale > 200)
        {
            failures.Add($"{SeedOptions.Section}:Scale must be greater than 0 and at most 200; got {options.Scale}.");
        }

        if (options.ObservationDays is < 0 or > 3660)
        {
            failures.Add($"{SeedOptions.Section}:ObservationDays must be between 0 and 3660; got {options.ObservationDays}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        if (options.BootstrapAdminPassword is { Length: > 0 and < 8 })
        {
            failures.Add($"{SecurityOptions.Section}:BootstrapAdminPassword must be at least 8 characters long.");
        }

        if (options.BootstrapApiKey is { Length: > 0 } key && (key.Length < SecurityOptions.MinApiKeyLength || key.Any(char.IsWhiteSpace)))
        {
            failures.Add($"{SecurityOptions.Section}:BootstrapApiKey must be at least {SecurityOptions.MinApiKeyLength} characters long, without spaces.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class MapOptionsValidator : IValidateOptions<MapOptions>
{
    public ValidateOptionsResult Validate(string? name, MapOptions options) =>
        string.IsNullOrEmpty(options.TileUrl) ||
        (Uri.TryCreate(options.TileUrl.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var uri) &&
         uri.Scheme is "http" or "https" && options.TileUrl.Contains("{z}", StringComparison.Ordinal))
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{MapOptions.Section}:TileUrl '{options.TileUrl}' must be an http(s) URL template with {{z}}, {{x}} and {{y}}, or empty.");
}

/// <summary>Start-up cannot go on: the message names the setting at fault. Logged as one line, never shown to a browser.</summary>
public sealed class StartupException : Exception
{
    public StartupException(string message) : base(message) { }

    public StartupException(string message, Exception innerException) : base(message, innerException) { }

    public StartupException() { }
}
