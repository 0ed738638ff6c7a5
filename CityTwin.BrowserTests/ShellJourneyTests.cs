using System.Text.RegularExpressions;
using CityTwin.Web.Features.Security;
using Microsoft.Playwright;

namespace CityTwin.BrowserTests;

/// <summary>The three audiences' shells in a real browser: citizens, a curator and an administrator.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ShellJourneyTests(RunningApp app)
{
    [Fact]
    public async Task Citizen_GetsTheStaticPublicPortal_WithoutACircuit()
    {
        var page = await app.NewPageAsync();
        var sockets = new List<string>();
        var errors = new List<string>();
        page.WebSocket += (_, ws) => sockets.Add(ws.Url);
        page.Console += (_, m) => { if (m.Type == "error") { errors.Add(m.Text); } };
        page.RequestFailed += (_, r) => errors.Add("request failed: " + r.Url);

        await page.GotoAsync("/");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("What Riverford owns, where, and in what state");
        await Assertions.Expect(page.Locator(".figures li").First).ToContainTextAsync("assets published");
        await Assertions.Expect(page.Locator("svg[role=img] polygon")).ToHaveCountAsync(6);
        Assert.Empty(sockets);
        Assert.Empty(errors);
        await RunningApp.ScreenshotAsync(page, "public-home-en");

        // Keyboard: the first Tab reaches the skip link, which leads to the main content.
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator(".skip-link")).ToBeFocusedAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Citizen_SwitchesTheLanguage_ToFrenchAndDutch()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/accessibility");
        await page.GetByRole(AriaRole.Link, new() { Name = "FR", Exact = true }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/accessibility$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Déclaration d'accessibilité");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");

        await page.GotoAsync("/");
        await RunningApp.ScreenshotAsync(page, "public-home-fr");
        await page.GetByRole(AriaRole.Link, new() { Name = "NL", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Wat Riverford bezit, waar, en in welke staat");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Citizen_OpeningAStaffPage_IsSentToSignIn()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/staff/admin");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?ReturnUrl=%2Fstaff%2Fadmin", RegexOptions.IgnoreCase));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Staff sign-in");
        await RunningApp.ScreenshotAsync(page, "sign-in");

        // Empty submit: the fields say what is missing, nothing else happens.
        await page.Locator("#signin-submit").ClickAsync();
        await Assertions.Expect(page.Locator(".validation-message").First).ToContainTextAsync("Enter your email address.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Administrator_SignsIn_CreatesACurator_WhoCannotOpenAdmin()
    {
        var page = await app.NewPageAsync();
        var sockets = new List<string>();
        page.WebSocket += (_, ws) => sockets.Add(ws.Url);
        await page.GotoAsync("/staff");
        await new SignInPage(page).SignInAsync(RunningApp.AdminEmail, RunningApp.AdminPassword);

        var shell = new StaffShell(page);
        await shell.WaitInteractiveAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/staff$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Riverford at a glance");
        await Assertions.Expect(page.Locator("#types-table tbody tr")).ToHaveCountAsync(13);
        Assert.Contains(sockets, s => s.Contains("/_blazor", StringComparison.Ordinal));
        Assert.Contains("Admin", await shell.NavigationAsync());
        await RunningApp.ScreenshotAsync(page, "staff-overview-admin", fullPage: false);

        // Create a curator through the Admin page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Administration");
        var email = $"curator-{Guid.NewGuid():N}@riverford.example";
        await page.Locator("#new-user-email").FillAsync(email);
        await page.Locator("#new-user-name").FillAsync("Chris Curator");
        await page.Locator("#new-user-password").FillAsync(RunningApp.StaffPassword);
        await page.GetByLabel("Curator").Last.CheckAsync();
        await page.Locator("#new-user-submit").ClickAsync();
        await Assertions.Expect(page.Locator($"#users-table tr[data-user='{email}']")).ToBeVisibleAsync();
        await RunningApp.ScreenshotAsync(page, "staff-admin", fullPage: false);

        // An API key for a machine client: the secret is shown once, then only its prefix.
        await page.GetByRole(AriaRole.Tab, new() { Name = "API keys" }).ClickAsync();
        await page.Locator("#new-key-name").FillAsync("Street-lighting IoT agent");
        await page.Locator("#new-key-submit").ClickAsync();
        var token = await page.Locator("#new-key-token").InnerTextAsync();
        Assert.StartsWith("ctk_", token, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#keys-table")).ToContainTextAsync("Street-lighting IoT agent");
        await Assertions.Expect(page.Locator("#keys-table")).Not.ToContainTextAsync(token);
        await RunningApp.ScreenshotAsync(page, "staff-admin-keys", fullPage: false);
        using (var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/api/assets?limit=1")).StatusCode);
        }

        // Revoking asks first, then the key stops working at once.
        await page.Locator("#keys-table tr", new() { HasText = "Street-lighting IoT agent" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.Locator("#keys-table tr", new() { HasText = "Street-lighting IoT agent" })).ToContainTextAsync("Revoked");
        using (var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync("/api/assets?limit=1")).StatusCode);
        }

        // The security log shows the sign-in and the acts above.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Security log" }).ClickAsync();
        await Assertions.Expect(page.Locator("#audit-table")).ToContainTextAsync("ApiKeyCreated");
        await Assertions.Expect(page.Locator("#audit-table")).ToContainTextAsync("UserCreated");
        await Assertions.Expect(page.Locator("#audit-table")).ToContainTextAsync("ApiKeyRevoked");

        // The curator signs in in another browser context.
        var curator = await app.NewPageAsync();
        await curator.GotoAsync("/account/login");
        await new SignInPage(curator).SignInAsync(email, RunningApp.StaffPassword);
        var curatorShell = new StaffShell(curator);
        await curatorShell.WaitInteractiveAsync();
        var nav = await curatorShell.NavigationAsync();
        Assert.Contains("Import / Export", nav);
        Assert.DoesNotContain("Admin", nav);
        await RunningApp.ScreenshotAsync(curator, "staff-overview-curator", fullPage: false);

        await curator.GotoAsync("/staff/admin");
        await Assertions.Expect(curator).ToHaveURLAsync(new Regex("/account/access-denied"));
        await Assertions.Expect(curator.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Access denied");
        await RunningApp.ScreenshotAsync(curator, "access-denied");

        await curator.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DecisionMaker_SeesDashboards_AndSignsOut()
    {
        var email = await app.CreateStaffAsync($"council-{Guid.NewGuid():N}@riverford.example", Roles.DecisionMaker);
        var page = await app.NewPageAsync();
        await page.GotoAsync("/account/login");
        await new SignInPage(page).SignInAsync(email, RunningApp.StaffPassword);
        var shell = new StaffShell(page);
        await shell.WaitInteractiveAsync();
        var nav = await shell.NavigationAsync();
        Assert.Contains("Dashboards", nav);
        Assert.DoesNotContain("Import / Export", nav);

        await shell.SignOutAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("What Riverford owns, where, and in what state");
        await page.GotoAsync("/staff");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.Context.CloseAsync();
    }
}
