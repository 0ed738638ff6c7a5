using System.Net;
using CityTwin.Tests.Support;
using CityTwin.Web.Features.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Api;

/// <summary>The rules of the Admin page's service: no lock-out of the city, clear refusals, audited acts.</summary>
[Collection(AppCollection.Name)]
public sealed class UserAdminTests(CityTwinAppFactory app)
{
    private UserAdminService Admin => app.Services.GetRequiredService<UserAdminService>();

    private async Task<string> AdminIdAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CityTwinUser>>();
        return (await users.FindByEmailAsync(CityTwinAppFactory.AdminEmail))!.Id;
    }

    private async Task<UserSummary> UserAsync(string email) => (await Admin.ListAsync()).Single(u => u.Email == email);

    [Fact]
    public async Task Administrator_CannotRemoveTheirOwnAdministratorRole()
    {
        var id = await AdminIdAsync();
        var result = await Admin.SetRolesAsync(id, [Roles.Curator], id, CityTwinAppFactory.AdminEmail);
        Assert.False(result.Succeeded);
        Assert.Contains("your own Administrator role", result.Errors.Single(), StringComparison.Ordinal);
        Assert.Contains(Roles.Administrator, (await UserAsync(CityTwinAppFactory.AdminEmail)).Roles);
    }

    [Fact]
    public async Task LastAdministrator_CannotBeDemotedOrDeletedByAnyone()
    {
        var id = await AdminIdAsync();
        Assert.Contains("last administrator", (await Admin.SetRolesAsync(id, [], "someone-else", "x")).Errors.Single(), StringComparison.Ordinal);
        Assert.Contains("last administrator", (await Admin.DeleteAsync(id, "someone-else", "x")).Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Administrator_CannotLockOrDeleteThemselves()
    {
        var id = await AdminIdAsync();
        Assert.False((await Admin.SetLockedAsync(id, true, id, "me")).Succeeded);
        Assert.False((await Admin.DeleteAsync(id, id, "me")).Succeeded);
    }

    [Theory]
    [InlineData("short1", "at least 10")]
    [InlineData("longenoughbutnodigit", "digit")]
    public async Task Create_WithWeakPassword_IsRefusedWithIdentitysReason(string password, string reason)
    {
        var result = await Admin.CreateAsync(new NewUser($"weak-{Guid.NewGuid():N}@riverford.example", "Weak", password, [Roles.Curator]), "test");
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains(reason, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Create_WithUnknownRoleOrControlCharacters_IsRefused()
    {
        Assert.Contains("Unknown role", (await Admin.CreateAsync(new NewUser("r@riverford.example", "R", CityTwinAppFactory.StaffPassword, ["Mayor"]), "test")).Errors.Single(), StringComparison.Ordinal);
        Assert.False((await Admin.CreateAsync(new NewUser("c@riverford.example", "Bad\u0000name", CityTwinAppFactory.StaffPassword, []), "test")).Succeeded);
        Assert.False((await Admin.CreateAsync(new NewUser("not-an-email", "Name", CityTwinAppFactory.StaffPassword, []), "test")).Succeeded);
    }

    [Fact]
    public async Task Create_DuplicateEmail_IsRefused()
    {
        var email = await app.CreateStaffAsync($"dup-{Guid.NewGuid():N}@riverford.example", Roles.Curator);
        var again = await Admin.CreateAsync(new NewUser(email, "Again", CityTwinAppFactory.StaffPassword, []), "test");
        Assert.False(again.Succeeded);
    }

    [Fact]
    public async Task HostileDisplayName_IsStoredAsTextAndAdminPageRendersItEncoded()
    {
        const string hostile = "<img src=x onerror=alert(1)>";
        var email = $"xss-{Guid.NewGuid():N}@riverford.example";
        Assert.True((await Admin.CreateAsync(new NewUser(email, hostile, CityTwinAppFactory.StaffPassword, [Roles.Curator]), "test")).Succeeded);
        Assert.Equal(hostile, (await UserAsync(email)).DisplayName);

        var client = app.CreateBrowserLikeClient();
        await CityTwinAppFactory.SignInAsync(client, CityTwinAppFactory.AdminEmail, CityTwinAppFactory.AdminPassword);
        var html = await client.GetStringAsync("/staff/admin");
        Assert.DoesNotContain(hostile, html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPassword_ThenSignInWithTheNewOne()
    {
        var email = await app.CreateStaffAsync($"reset-{Guid.NewGuid():N}@riverford.example", Roles.DecisionMaker);
        var user = await UserAsync(email);
        Assert.True((await Admin.ResetPasswordAsync(user.Id, "Brand-new-pass-99", "test")).Succeeded);

        var client = app.CreateBrowserLikeClient();
        var signIn = await CityTwinAppFactory.SignInAsync(client, email, "Brand-new-pass-99");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task LockedAccount_CannotSignIn_UntilUnlocked()
    {
        var email = await app.CreateStaffAsync($"locked-{Guid.NewGuid():N}@riverford.example", Roles.Curator);
        var user = await UserAsync(email);
        Assert.True((await Admin.SetLockedAsync(user.Id, true, await AdminIdAsync(), "test")).Succeeded);
        Assert.True((await UserAsync(email)).IsLockedOut);

        var locked = await CityTwinAppFactory.SignInAsync(app.CreateBrowserLikeClient(), email, CityTwinAppFactory.StaffPassword);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.True((await Admin.SetLockedAsync(user.Id, false, await AdminIdAsync(), "test")).Succeeded);
        var open = await CityTwinAppFactory.SignInAsync(app.CreateBrowserLikeClient(), email, CityTwinAppFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);

        var events = await app.Services.GetRequiredService<SecurityAudit>().RecentAsync(500);
        Assert.Contains(events, e => e.Kind == "UserLocked" && e.Subject == email);
        Assert.Contains(events, e => e.Kind == "UserUnlocked" && e.Subject == email);
    }

    [Fact]
    public async Task DeletedAccount_IsGone_AndActsOnItAreRefusedClearly()
    {
        var email = await app.CreateStaffAsync($"gone-{Guid.NewGuid():N}@riverford.example", Roles.Curator);
        var user = await UserAsync(email);
        Assert.True((await Admin.DeleteAsync(user.Id, await AdminIdAsync(), "test")).Succeeded);
        Assert.DoesNotContain(await Admin.ListAsync(), u => u.Email == email);
        Assert.Equal("That account no longer exists.", (await Admin.ResetPasswordAsync(user.Id, "Whatever-pass-1", "test")).Errors.Single());
    }
}
