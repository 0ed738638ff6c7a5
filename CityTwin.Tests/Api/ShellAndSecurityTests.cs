using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CityTwin.Tests.Support;
using CityTwin.Web.Features.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Api;

[Collection(AppCollection.Name)]
public sealed class ShellAndSecurityTests(CityTwinAppFactory app)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_Endpoints_AnswerHealthy(string path)
    {
        var response = await app.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Healthy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_ReportsTheDatabaseCheck()
    {
        using var doc = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/health/ready"));
        Assert.Equal("Healthy", doc.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/staff")]
    [InlineData("/staff/registry")]
    [InlineData("/staff/admin")]
    [InlineData("/staff/import-export")]
    public async Task StaffPages_Anonymous_RedirectToSignIn(string path)
    {
        var response = await app.CreateBrowserLikeClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(path), response.Headers.Location!.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicPortal_IsStaticHtmlWithoutBlazorScript()
    {
        var response = await app.CreateClient().GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("What Riverford owns", html, StringComparison.Ordinal);
        Assert.DoesNotContain("blazor.web.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("MudBlazor.min.css", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr", "Ce que Riverford poss")]
    [InlineData("nl", "Wat Riverford bezit")]
    [InlineData("en", "What Riverford owns")]
    public async Task PublicPortal_LanguageSwitch_SetsACookieAndTranslates(string culture, string expected)
    {
        var client = app.CreateBrowserLikeClient();
        var set = await client.GetAsync($"/culture/set?culture={culture}&returnUrl=%2F");
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("/", set.Headers.Location!.OriginalString);

        var html = await client.GetStringAsync("/");
        Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{culture}\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task LanguageSwitch_NeverRedirectsOffSite(string returnUrl)
    {
        var response = await app.CreateBrowserLikeClient().GetAsync($"/culture/set?culture=fr&returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task LanguageSwitch_UnknownLanguage_IsA400WithAReason()
    {
        var response = await app.CreateClient().GetAsync("/culture/set?culture=xx");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown language", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/lib/leaflet/leaflet.js", "Leaflet")]
    [InlineData("/lib/leaflet/leaflet.css", ".leaflet-")]
    [InlineData("/lib/apexcharts/apexcharts.min.js", "ApexCharts")]
    [InlineData("/lib/apexcharts/LICENSE", "MIT")]
    public async Task FrontEndLibraries_FromNpm_AreServed(string path, string marker)
    {
        var response = await app.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(marker, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffShell_LoadsMudBlazorAndTheBlazorScript()
    {
        var client = app.CreateBrowserLikeClient();
        await CityTwinAppFactory.SignInAsync(client, CityTwinAppFactory.AdminEmail, CityTwinAppFactory.AdminPassword);
        var html = await client.GetStringAsync("/staff");
        Assert.Contains("_content/MudBlazor/MudBlazor.min.", html, StringComparison.Ordinal);
        Assert.Contains("blazor.web", html, StringComparison.Ordinal);
        Assert.Contains("Riverford at a glance", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        var response = await app.CreateClient().GetAsync("/");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPage_Is404WithThePortalPage()
    {
        var response = await app.CreateClient().GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_AsAdministrator_OpensAdmin_AndIsAudited()
    {
        var client = app.CreateBrowserLikeClient();
        var signIn = await CityTwinAppFactory.SignInAsync(client, CityTwinAppFactory.AdminEmail, CityTwinAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/staff", signIn.Headers.Location!.AbsolutePath);

        var admin = await client.GetAsync("/staff/admin");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Administration", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var events = await app.Services.GetRequiredService<SecurityAudit>().RecentAsync(100);
        Assert.Contains(events, e => e.Kind == "SignIn" && e.Actor == CityTwinAppFactory.AdminEmail);
    }

    [Fact]
    public async Task SignIn_WithWrongPassword_ShowsAnErrorAndIsAudited()
    {
        var client = app.CreateBrowserLikeClient();
        var response = await CityTwinAppFactory.SignInAsync(client, CityTwinAppFactory.AdminEmail, "wrong-password-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var events = await app.Services.GetRequiredService<SecurityAudit>().RecentAsync(100);
        Assert.Contains(events, e => e.Kind == "SignInFailed");
    }

    [Fact]
    public async Task SignIn_WithEmptyFields_ShowsFieldMessages()
    {
        var client = app.CreateBrowserLikeClient();
        var response = await CityTwinAppFactory.SignInAsync(client, "", "");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Enter your email address.", html, StringComparison.Ordinal);
        Assert.Contains("Enter your password.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_ReturnUrlToAnotherSite_GoesToStaffInstead()
    {
        Assert.Equal("/staff", CityTwin.Web.Features.Security.Pages.LoginPage.SafeReturnUrl("https://evil.example"));
        Assert.Equal("/staff", CityTwin.Web.Features.Security.Pages.LoginPage.SafeReturnUrl("//evil.example"));
        Assert.Equal("/staff/map", CityTwin.Web.Features.Security.Pages.LoginPage.SafeReturnUrl("/staff/map"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Curator_CannotOpenAdmin_ButOpensImportExport()
    {
        var email = await app.CreateStaffAsync($"curator-{Guid.NewGuid():N}@riverford.example", Roles.Curator);
        var client = app.CreateBrowserLikeClient();
        await CityTwinAppFactory.SignInAsync(client, email, CityTwinAppFactory.StaffPassword);

        var admin = await client.GetAsync("/staff/admin");
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.StartsWith("/account/access-denied", admin.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff/import-export")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff/registry")).StatusCode);
    }

    [Fact]
    public async Task DecisionMaker_CannotOpenImportExport()
    {
        var email = await app.CreateStaffAsync($"council-{Guid.NewGuid():N}@riverford.example", Roles.DecisionMaker);
        var client = app.CreateBrowserLikeClient();
        await CityTwinAppFactory.SignInAsync(client, email, CityTwinAppFactory.StaffPassword);

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff/import-export")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff/dashboards")).StatusCode);
    }

    [Fact]
    public async Task AccountWithoutRole_CannotOpenStaffPages()
    {
        var email = await app.CreateStaffAsync($"norole-{Guid.NewGuid():N}@riverford.example");
        var client = app.CreateBrowserLikeClient();
        await CityTwinAppFactory.SignInAsync(client, email, CityTwinAppFactory.StaffPassword);
        var response = await client.GetAsync("/staff");
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_RequiresAntiforgeryAndEndsTheSession()
    {
        var client = app.CreateBrowserLikeClient();
        await CityTwinAppFactory.SignInAsync(client, CityTwinAppFactory.AdminEmail, CityTwinAppFactory.AdminPassword);

        var forged = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff")).StatusCode);
    }

    [Fact]
    public async Task AssetsApi_Anonymous_SeesOnlyPublicAssets()
    {
        var anonymous = await CountFeaturesAsync(app.CreateClient(), "/api/assets?type=Device&limit=5000");
        var keyed = app.CreateClient();
        keyed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
        var staff = await CountFeaturesAsync(keyed, "/api/assets?type=Device&limit=5000");

        Assert.True(anonymous > 0);
        Assert.True(staff > anonymous, $"a write key sees internal sensors too ({staff} > {anonymous})");
    }

    [Fact]
    public async Task AssetsApi_WithUnknownKey_Is401()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "ctk_not_a_real_key");
        var response = await client.GetAsync("/api/assets?limit=1");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AssetsApi_RevokedKey_StopsWorkingAtOnce()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var created = await keys.CreateAsync("temporary", ApiKeyScope.Read, "test");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/assets?limit=1")).StatusCode);

        Assert.True(await keys.RevokeAsync(created.Key.Id, "test"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/assets?limit=1")).StatusCode);
    }

    [Fact]
    public async Task ApiKeys_AreStoredHashedOnly()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var created = await keys.CreateAsync("hash check", ApiKeyScope.Write, "test");
        var db = app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<CityTwin.Web.Data.CityTwinDbContext>>();
        await using var context = await db.CreateDbContextAsync();
        var stored = context.ApiKeys.Single(k => k.Id == created.Key.Id);
        Assert.NotEqual(created.Token, stored.Hash);
        Assert.Equal(64, stored.Hash.Length);
        Assert.DoesNotContain(created.Token[8..], stored.Hash + stored.Prefix + stored.Name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/assets?bbox=4,50,3,51", "inverted")]
    [InlineData("/api/assets?bbox=x,1,2,3", "not a number")]
    [InlineData("/api/assets?type=Dragon", "Unknown asset type")]
    [InlineData("/api/assets?limit=0", "limit must be between")]
    [InlineData("/api/assets?limit=999999", "limit must be between")]
    public async Task AssetsApi_BadParameters_Are400WithTheReason(string url, string reason)
    {
        var response = await app.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssetsApi_BboxAndText_ReturnGeoJson()
    {
        var response = await app.CreateClient().GetAsync("/api/assets?bbox=4.41,50.87,4.53,50.93&q=plane&limit=20");
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType!.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var features = doc.RootElement.GetProperty("features");
        Assert.InRange(features.GetArrayLength(), 1, 20);
        Assert.All(features.EnumerateArray(), f => Assert.Equal("Tree", f.GetProperty("properties").GetProperty("type").GetString()));
    }

    private static async Task<int> CountFeaturesAsync(HttpClient client, string url)
    {
        using var doc = JsonDocument.Parse(await client.GetStringAsync(url));
        return doc.RootElement.GetProperty("features").GetArrayLength();
    }
}
