using System.Security.Claims;
using CityTwin.Domain.Assets;
using CityTwin.Domain.History;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Registry;
using CityTwin.Web.Features.Security;
using Microsoft.Extensions.Time.Testing;

namespace CityTwin.Tests.Data;

/// <summary>Decommission, restore and hard delete through the registry's commands, with the server-side role rule.</summary>
public sealed class RegistryCommandsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    private TestDatabase _db = null!;
    private AssetStore _store = null!;
    private RegistryCommands _commands = null!;
    private RegistryQueryService _registry = null!;

    private static ClaimsPrincipal User(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, role.ToLowerInvariant() + "@riverford.example"), new Claim(ClaimTypes.Role, role)], "test"));

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _store = new AssetStore(_db.Factory, _time);
        _registry = new RegistryQueryService(_db.Factory, _time);
        _commands = new RegistryCommands(_store, _registry, _db.Factory, _time);
        await _store.CreateAsync(Asset.Create(AssetId.For("Tree", "cmd-1"), AssetTypeCatalog.Tree, "Lime on the green", _time.GetUtcNow()),
            new ChangeContext(ChangeActor.System("test"), ChangeOperations.Create));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private const string Id = "urn:ngsi-ld:Tree:cmd-1";

    [Fact]
    public async Task OnlyAnAdministrator_DeletesForGood()
    {
        var version = (await _store.FindAsync(Id))!.Version;
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _commands.DeleteAsync(Id, version, User(Roles.Curator), "duplicate"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _commands.DeleteAsync(Id, version, User(Roles.DecisionMaker), "duplicate"));
        Assert.NotNull(await _store.FindAsync(Id));

        await _commands.DeleteAsync(Id, version, User(Roles.Administrator), "duplicate");
        Assert.Null(await _store.FindAsync(Id));
    }

    [Fact]
    public async Task ADecommissionedAsset_IsHiddenByDefault_AndComesBackWhenRestored()
    {
        var asset = (await _store.FindAsync(Id))!;
        await _commands.DecommissionAsync(Id, asset.Version, User(Roles.Curator), "felled after the storm");
        Assert.Equal(0, (await _registry.QueryAsync(new RegistryFilter { Type = "Tree" }, new RegistrySort(), 0, 10)).Total);
        Assert.Equal(1, (await _registry.QueryAsync(new RegistryFilter { Type = "Tree", IncludeDecommissioned = true }, new RegistrySort(), 0, 10)).Total);

        var decommissioned = (await _store.FindAsync(Id))!;
        Assert.True(decommissioned.IsDecommissioned);
        await _commands.RestoreAsync(Id, decommissioned.Version, User(Roles.Curator), "replanted");
        var restored = (await _store.FindAsync(Id))!;
        Assert.Equal(AssetStatus.Active, restored.Status);
        Assert.Equal(1, (await _registry.QueryAsync(new RegistryFilter { Type = "Tree" }, new RegistrySort(), 0, 10)).Total);
    }
}
