using System.Net;
using CityTwin.Domain.Assets;
using CityTwin.Domain.History;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Api;

/// <summary>Registry pages over HTTP: role gating of the edit routes and hostile text rendered as text.</summary>
[Collection(AppCollection.Name)]
public sealed class RegistryPagesTests(CityTwinAppFactory app)
{
    [Fact]
    public async Task HostileTextInAnAsset_IsRenderedEncodedOnItsDetailPage()
    {
        const string hostile = "<script>alert('x')</script> =cmd|' /C calc'!A0";
        var asset = Asset.Create(AssetId.For("PointOfInterest", $"hostile-{Guid.NewGuid():N}"), AssetTypeCatalog.PointOfInterest, hostile, DateTimeOffset.UtcNow);
        asset.Describe(hostile + "\nsecond line", "<b>not bold</b>");
        await app.Services.GetRequiredService<AssetStore>().CreateAsync(asset, new ChangeContext(new ChangeActor("test", ActorKind.User), "Create", hostile));

        var client = app.CreateBrowserLikeClient();
        await CityTwinAppFactory.SignInAsync(client, CityTwinAppFactory.AdminEmail, CityTwinAppFactory.AdminPassword);
        var html = await client.GetStringAsync("/staff/registry/asset/" + Uri.EscapeDataString(asset.Id.Value));

        Assert.DoesNotContain("<script>alert('x')</script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>not bold</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/staff/registry/new")]
    [InlineData("/staff/registry/asset/urn%3Angsi-ld%3ATree%3Ax/edit")]
    public async Task EditRoutes_AreForCuratorsOnly(string path)
    {
        var email = await app.CreateStaffAsync($"reader-{Guid.NewGuid():N}@riverford.example", Roles.DecisionMaker);
        var client = app.CreateBrowserLikeClient();
        await CityTwinAppFactory.SignInAsync(client, email, CityTwinAppFactory.StaffPassword);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/staff/registry?type=Tree&cmin=2&cmax=3")]
    [InlineData("/staff/registry?cmin=banana&asof=not-a-date&issue=nope")]
    [InlineData("/staff/registry/quality")]
    [InlineData("/staff/registry/changes")]
    public async Task RegistryPages_OpenForDecisionMakers_EvenWithOddQueryValues(string path)
    {
        var email = await app.CreateStaffAsync($"viewer-{Guid.NewGuid():N}@riverford.example", Roles.DecisionMaker);
        var client = app.CreateBrowserLikeClient();
        await CityTwinAppFactory.SignInAsync(client, email, CityTwinAppFactory.StaffPassword);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
