using Bunit;
using CityTwin.Web.Components.Layout;
using CityTwin.Web.Features.Security;

namespace CityTwin.Tests.Components;

public sealed class StaffNavMenuTests : ComponentTestContext
{
    private IReadOnlyList<string> LinksFor(params string[] roles)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("someone@riverford.example");
        auth.SetRoles(roles);
        var menu = Render<StaffNavMenu>();
        return [.. menu.FindAll("a").Select(a => a.TextContent.Trim())];
    }

    [Fact]
    public void Administrator_SeesEveryArea()
    {
        var links = LinksFor(Roles.Administrator);
        Assert.Equal(["Overview", "Registry", "Map", "Dashboards", "Import / Export", "Admin", "Public portal"], links);
    }

    [Fact]
    public void Curator_SeesImportExportButNotAdmin()
    {
        var links = LinksFor(Roles.Curator);
        Assert.Contains("Import / Export", links);
        Assert.DoesNotContain("Admin", links);
    }

    [Fact]
    public void DecisionMaker_SeesNeitherImportExportNorAdmin()
    {
        var links = LinksFor(Roles.DecisionMaker);
        Assert.Contains("Dashboards", links);
        Assert.DoesNotContain("Import / Export", links);
        Assert.DoesNotContain("Admin", links);
    }
}
