using System.Net;
using System.Text.RegularExpressions;
using CityTwin.Web.Features.Security;
using CityTwin.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Support;

/// <summary>
/// The real app (Program) on a fresh SQLite file with the demo city (a few days of observations to keep it quick),
/// a bootstrap administrator and a bootstrap write API key. Tiles are off: tests never reach outside hosts.
/// </summary>
public partial class CityTwinAppFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = SecurityOptions.BootstrapAdminEmail;
    public const string AdminPassword = "Test-admin-pass-2026";
    public const string ApiKey = "ctk_test_bootstrap_write_key_0001";
    public const string StaffPassword = "Staff-pass-2026";

    private readonly string _databasePath = TestDatabase.NewPath();

    public string DatabasePath => _databasePath;

    protected virtual int ObservationDays => 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:CityTwin", $"Data Source={_databasePath}");
        builder.UseSetting("CityTwin:Security:BootstrapAdminPassword", AdminPassword);
        builder.UseSetting("CityTwin:Security:BootstrapApiKey", ApiKey);
        builder.UseSetting("CityTwin:Seed:DemoCity", "true");
        builder.UseSetting("CityTwin:Seed:ObservationDays", ObservationDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("CityTwin:Map:TileUrl", "");
        builder.UseSetting("DetailedErrors", "true");
    }

    /// <summary>Creates a staff account with the given roles (through the same service the Admin page uses).</summary>
    public async Task<string> CreateStaffAsync(string email, params string[] roles)
    {
        var admin = Services.GetRequiredService<UserAdminService>();
        var result = await admin.CreateAsync(new NewUser(email, email.Split('@')[0], StaffPassword, roles), "test");
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return email;
    }

    /// <summary>A curator's edit of an asset through the registry's store (as the edit form saves it), at its current version.</summary>
    public async Task CuratorEditsAsync(string id, Action<CityTwin.Domain.Assets.Asset> edit)
    {
        var store = Services.GetRequiredService<CityTwin.Web.Data.AssetStore>();
        var asset = await store.FindAsync(id) ?? throw new InvalidOperationException($"No asset {id}.");
        await store.UpdateAsync(id, asset.Version, edit,
            new CityTwin.Web.Data.ChangeContext(new CityTwin.Domain.History.ChangeActor("curator@test", CityTwin.Domain.History.ActorKind.User), "edit", "test"));
    }

    /// <summary>An HttpClient that keeps cookies and does not follow redirects.</summary>
    public HttpClient CreateBrowserLikeClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the real sign-in form (antiforgery token included); returns the response of the POST.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/account/login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "the sign-in form carries an antiforgery token");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync("/account/login?returnUrl=%2Fstaff", form);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        TestDatabase.DeleteFiles(_databasePath);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<CityTwinAppFactory>
{
    public const string Name = "app";
}
