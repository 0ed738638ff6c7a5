using System.Diagnostics;
using CityTwin.Tests.Support;

namespace CityTwin.Tests.Api;

/// <summary>
/// Bad configuration stops the real app process at start-up with one clear log line naming the setting, exit code 1
/// and no stack trace.
/// </summary>
public sealed class StartupTests : IDisposable
{
    private readonly string _database = TestDatabase.NewPath();

    public void Dispose() => TestDatabase.DeleteFiles(_database);

    [Theory]
    [InlineData("CityTwin__Database__Provider", "Oracle", "CityTwin:Database:Provider 'Oracle' is unknown")]
    [InlineData("CityTwin__Database__Provider", "Postgres", "CityTwin:Database:Provider is 'Postgres'")]
    [InlineData("CityTwin__Seed__Scale", "lots", "CityTwin:Seed:Scale")]
    [InlineData("CityTwin__Seed__Scale", "-1", "CityTwin:Seed:Scale must be greater than 0")]
    [InlineData("CityTwin__Security__BootstrapApiKey", "short", "CityTwin:Security:BootstrapApiKey must be at least")]
    [InlineData("CityTwin__Map__TileUrl", "ftp://tiles", "CityTwin:Map:TileUrl")]
    [InlineData("CityTwin__Import__MaxFileMegabytes", "0", "CityTwin:Import:MaxFileMegabytes must be between 1 and 2048")]
    [InlineData("CityTwin__NgsiLd__EntityCacheSize", "-5", "CityTwin:NgsiLd:EntityCacheSize must be 0 (off) to 1000000")]
    [InlineData("CityTwin__JsonLd__ContextDirectory", "/nonexistent/contexts", "CityTwin:JsonLd:ContextDirectory '/nonexistent/contexts' does not exist")]
    public async Task InvalidSetting_StopsStartupWithOneLineNamingIt(string variable, string value, string expected)
    {
        var (exitCode, output) = await RunAppAsync(new() { [variable] = value });
        AssertCleanFailure(exitCode, output, expected);
    }

    [Fact]
    public async Task BadConnectionString_StopsStartupNamingTheSetting()
    {
        var (exitCode, output) = await RunAppAsync(new() { ["ConnectionStrings__CityTwin"] = "Data Source=x.db;Flavour=strawberry" });
        AssertCleanFailure(exitCode, output, "ConnectionStrings:CityTwin is not a valid SQLite connection string");
    }

    [Fact]
    public async Task CorruptDatabaseFile_StopsStartupNamingTheFile()
    {
        await File.WriteAllTextAsync(_database, new string('x', 8192));
        var (exitCode, output) = await RunAppAsync([]);
        AssertCleanFailure(exitCode, output, "cannot be used");
        Assert.Contains(_database, output, StringComparison.Ordinal);
        Assert.Equal(new string('x', 8192), await File.ReadAllTextAsync(_database));
    }

    private static void AssertCleanFailure(int exitCode, string output, string expected)
    {
        Assert.Equal(1, exitCode);
        var critical = output.Split('\n').Where(l => l.Contains("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(critical.Count == 1, "exactly one critical line:\n" + output);
        Assert.Contains(expected, critical[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAppAsync(Dictionary<string, string> environment)
    {
        var webDll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [webDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ConnectionStrings__CityTwin"] = $"Data Source={_database}";
        start.Environment["CityTwin__Seed__DemoCity"] = "false";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The app did not stop on bad configuration: " + await stdout);
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
