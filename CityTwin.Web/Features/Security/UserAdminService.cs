using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Security;

public sealed record UserSummary(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool IsLockedOut);

public sealed record NewUser(string Email, string DisplayName, string Password, IReadOnlyList<string> Roles);

/// <summary>The outcome of an administrative act: success, or the reasons it was refused.</summary>
public sealed record AdminResult(bool Succeeded, IReadOnlyList<string> Errors)
{
    public static AdminResult Ok { get; } = new(true, []);

    public static AdminResult Fail(params string[] errors) => new(false, errors);

    public static AdminResult From(IdentityResult r) => r.Succeeded ? Ok : new(false, [.. r.Errors.Select(e => e.Description)]);
}

/// <summary>
/// Manages staff accounts and their roles for the Admin page. Each call runs in its own DI scope, so no Identity
/// store or DbContext outlives one operation inside a long-lived circuit. Refuses acts that would lock the city out
/// (removing the last administrator, an administrator demoting or deleting themselves).
/// </summary>
public sealed class UserAdminService(IServiceScopeFactory scopes, SecurityAudit audit)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CityTwinUser>>();
        var all = await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var result = new List<UserSummary>(all.Count);
        foreach (var u in all)
        {
            var roles = await users.GetRolesAsync(u);
            result.Add(new UserSummary(u.Id, u.Email ?? "", u.DisplayName, [.. roles.Order()], u.LockoutEnd > DateTimeOffset.UtcNow));
        }

        return result;
    }

    public async Task<AdminResult> CreateAsync(NewUser input, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var unknown = input.Roles.Except(Roles.All).ToArray();
        if (unknown.Length > 0)
        {
            return AdminResult.Fail($"Unknown role(s): {string.Join(", ", unknown)}.");
        }

        var displayName = (input.DisplayName ?? "").Trim();
        if (displayName.Length is 0 or > 100 || displayName.Any(char.IsControl))
        {
            return AdminResult.Fail("Display name is required (at most 100 printable characters).");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CityTwinUser>>();
        var email = (input.Email ?? "").Trim();
        var user = new CityTwinUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
        var created = await users.CreateAsync(user, input.Password ?? "");
        if (!created.Succeeded)
        {
            return AdminResult.From(created);
        }

        if (input.Roles.Count > 0)
        {
            var added = await users.AddToRolesAsync(user, input.Roles);
            if (!added.Succeeded)
            {
                return AdminResult.From(added);
            }
        }

        await audit.RecordAsync("UserCreated", actor, email, "roles: " + string.Join(", ", input.Roles), ct);
        return AdminResult.Ok;
    }

    public async Task<AdminResult> SetRolesAsync(string userId, IReadOnlyCollection<string> roles, string actorId, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Except(Roles.All).Any())
        {
            return AdminResult.Fail("Unknown role.");
        }

        return await WithUserAsync(userId, async (users, user) =>
        {
            var current = await users.GetRolesAsync(user);
            var losesAdmin = current.Contains(Roles.Administrator) && !roles.Contains(Roles.Administrator);
            if (losesAdmin && userId == actorId)
            {
                return AdminResult.Fail("You cannot remove your own Administrator role; ask another administrator.");
            }

            if (losesAdmin && (await users.GetUsersInRoleAsync(Roles.Administrator)).Count <= 1)
            {
                return AdminResult.Fail("This is the last administrator; give the role to someone else first.");
            }

            var removed = await users.RemoveFromRolesAsync(user, current.Except(roles));
            if (!removed.Succeeded)
            {
                return AdminResult.From(removed);
            }

            var added = await users.AddToRolesAsync(user, roles.Except(current));
            if (!added.Succeeded)
            {
                return AdminResult.From(added);
            }

            await audit.RecordAsync("RolesChanged", actor, user.Email, $"{string.Join(", ", current.Order())} → {string.Join(", ", roles.Order())}", ct);
            return AdminResult.Ok;
        });
    }

    public Task<AdminResult> ResetPasswordAsync(string userId, string newPassword, string actor, CancellationToken ct = default) =>
        WithUserAsync(userId, async (users, user) =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var result = await users.ResetPasswordAsync(user, token, newPassword ?? "");
            if (result.Succeeded)
            {
                await users.SetLockoutEndDateAsync(user, null);
                await audit.RecordAsync("PasswordReset", actor, user.Email, null, ct);
            }

            return AdminResult.From(result);
        });

    public Task<AdminResult> SetLockedAsync(string userId, bool locked, string actorId, string actor, CancellationToken ct = default) =>
        locked && userId == actorId
            ? Task.FromResult(AdminResult.Fail("You cannot lock your own account."))
            : WithUserAsync(userId, async (users, user) =>
            {
                await users.SetLockoutEnabledAsync(user, true);
                var result = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
                if (result.Succeeded)
                {
                    await users.UpdateSecurityStampAsync(user);
                    await audit.RecordAsync(locked ? "UserLocked" : "UserUnlocked", actor, user.Email, null, ct);
                }

                return AdminResult.From(result);
            });

    public Task<AdminResult> DeleteAsync(string userId, string actorId, string actor, CancellationToken ct = default) =>
        userId == actorId
            ? Task.FromResult(AdminResult.Fail("You cannot delete your own account."))
            : WithUserAsync(userId, async (users, user) =>
            {
                if (await users.IsInRoleAsync(user, Roles.Administrator) && (await users.GetUsersInRoleAsync(Roles.Administrator)).Count <= 1)
                {
                    return AdminResult.Fail("This is the last administrator and cannot be deleted.");
                }

                var result = await users.DeleteAsync(user);
                if (result.Succeeded)
                {
                    await audit.RecordAsync("UserDeleted", actor, user.Email, null, ct);
                }

                return AdminResult.From(result);
            });

    /// <summary>Runs an act on one account in its own DI scope; a vanished account is a clear refusal.</summary>
    private async Task<AdminResult> WithUserAsync(string userId, Func<UserManager<CityTwinUser>, CityTwinUser, Task<AdminResult>> act)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CityTwinUser>>();
        var user = await users.FindByIdAsync(userId);
        return user is null ? AdminResult.Fail("That account no longer exists.") : await act(users, user);
    }
}
