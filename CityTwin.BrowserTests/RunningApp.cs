using System.Net;
using CityTwin.Web.Features.Security;
using CityTwin.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CityTwin.BrowserTests;

/// <summary>
/// The real app on Kestrel (random loopback port, fresh SQLite file with the demo city) and a headless Debian Chromium.
/// Map tiles are off, so no request ever leaves the machine.
/// </summary>
public sealed class RunningApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = SecurityOptions.BootstrapAdminEmail;
    public const string AdminPassword = "Browser-admin-2026";
    public const string StaffPassword = "Browser-staff-2026";

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"citytwin-browser-{Guid.NewGuid():N}.db");

    public RunningApp() => UseKestrel(o => o.Listen(IPAddress.Loopback, 0));

    public string BaseUrl { get; private set; } = "";

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: test-artifacts/screenshots at the repository root.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(FindRepositoryRoot(), "test-artifacts", "screenshots");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:CityTwin", $"Data Source={_database}");
        builder.UseSetting("CityTwin:Security:BootstrapAdminPassword", AdminPassword);
        builder.UseSetting("CityTwin:Security:BootstrapApiKey", "ctk_browser_bootstrap_key_000001");
        builder.UseSetting("CityTwin:Seed:ObservationDays", "2");
        builder.UseSetting("CityTwin:Map:TileUrl", "");
        builder.UseSetting("DetailedErrors", "true");
    }

    public async Task InitializeAsync()
    {
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Directory.CreateDirectory(ScreenshotDirectory);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--no-first-run"],
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_database + suffix);
        }
    }

    /// <summary>A fresh browser context (its own cookies) with a desktop viewport.</summary>
    public async Task<IPage> NewPageAsync(string? locale = null)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = 1366, Height = 900 }, Locale = locale ?? "en-GB" });
        return await context.NewPageAsync();
    }

    public async Task<string> CreateStaffAsync(string email, params string[] roles)
    {
        var result = await Services.GetRequiredService<UserAdminService>().CreateAsync(new NewUser(email, email.Split('@')[0], StaffPassword, roles), "browser-test");
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return email;
    }

    /// <summary>Saves a PNG; staff pages (fixed app bar) are shot at viewport size, public pages whole.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = fullPage });

    /// <summary>Configuration key BrowserTests:ChromiumPath (env BrowserTests__ChromiumPath), else <c>chromium</c> on PATH.</summary>
    private static string ChromiumPath()
    {
        var configured = new ConfigurationBuilder().AddEnvironmentVariables().Build()["BrowserTests:ChromiumPath"];
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                   .Select(d => Path.Combine(d, "chromium")).FirstOrDefault(File.Exists)
               ?? throw new InvalidOperationException("chromium not found on PATH; install Debian's chromium or set BrowserTests__ChromiumPath");
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CityTwin.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Path.GetTempPath();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<RunningApp>
{
    public const string Name = "browser";
}
