using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CityTwin.Web.Features.Security;
using Microsoft.Playwright;

namespace CityTwin.BrowserTests;

/// <summary>
/// Issue #5's "one store" acceptance, end to end on the real server: an entity written through the NGSI-LD API is an
/// asset a curator finds in the registry, with a history entry naming the API key; the curator's edit in the browser
/// is what the API returns next.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NgsiLdJourneyTests(RunningApp app)
{
    private HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "ctk_browser_bootstrap_key_000001");
        return client;
    }

    [Fact]
    public async Task AnEntityWrittenByTheApi_IsEditedByACurator_AndTheApiReturnsTheEdit()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var id = "urn:ngsi-ld:AirSensor:journey-" + tag;
        using var api = Api();
        var created = await api.PostAsync("/ngsi-ld/v1/entities", new StringContent(
            "{\"id\":\"" + id + "\",\"type\":\"AirSensor\",\"name\":{\"type\":\"Property\",\"value\":\"Quay air sensor " + tag + "\"}," +
            "\"pm25\":{\"type\":\"Property\",\"value\":12.5,\"unitCode\":\"GQ\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var email = await app.CreateStaffAsync($"curator-{Guid.NewGuid():N}@riverford.example", Roles.Curator);
        var page = await app.NewPageAsync();
        await page.GotoAsync("/staff/registry?q=" + Uri.EscapeDataString("Quay air sensor " + tag));
        await new SignInPage(page).SignInAsync(email, RunningApp.StaffPassword);
        await new StaffShell(page).WaitInteractiveAsync();
        var link = page.Locator("#registry-grid a.asset-link", new() { HasText = "Quay air sensor " + tag });
        await link.ClickAsync();
        await Assertions.Expect(page.Locator("#asset-name")).ToHaveTextAsync("Quay air sensor " + tag);
        await page.GetByRole(AriaRole.Tab, new() { Name = "History" }).ClickAsync();
        await Assertions.Expect(page.Locator("#history-table")).ToContainTextAsync("API key");
        await Assertions.Expect(page.Locator("#history-table")).ToContainTextAsync("Api");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Details" }).ClickAsync();
        await page.Locator("#asset-edit").ClickAsync();
        await Assertions.Expect(page.Locator("#f-name")).ToBeVisibleAsync();
        await page.Locator("#f-name").FillAsync("Quay air sensor " + tag + " (moved)");
        await page.Locator("#f-name").PressAsync("Tab");
        await page.Locator("#f-reason").FillAsync("Moved to the new mast");
        await page.Locator("#f-save").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/staff/registry/asset/[^/]+$"));
        await Assertions.Expect(page.Locator("#asset-name")).ToHaveTextAsync("Quay air sensor " + tag + " (moved)");
        // Attributes of another system's type read by their terms and values, not as raw JSON.
        await Assertions.Expect(page.GetByRole(AriaRole.Tabpanel)).ToContainTextAsync("12.5 GQ");
        await Assertions.Expect(page.GetByRole(AriaRole.Tabpanel)).Not.ToContainTextAsync("\"type\":\"Property\"");
        await RunningApp.ScreenshotAsync(page, "ngsi-entity-in-registry", fullPage: false);

        var read = JsonNode.Parse(await api.GetStringAsync("/ngsi-ld/v1/entities/" + id + "?options=keyValues"))!;
        Assert.Equal("Quay air sensor " + tag + " (moved)", read["name"]!.GetValue<string>());
        Assert.Equal(12.5, read["pm25"]!.GetValue<double>());
        await page.Context.CloseAsync();
    }
}
