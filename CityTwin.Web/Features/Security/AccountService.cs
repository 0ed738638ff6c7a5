using Microsoft.AspNetCore.Identity;

namespace CityTwin.Web.Features.Security;

public enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
}

/// <summary>Signs staff in and out (cookie), recording each attempt in the security audit. Scoped to one request.</summary>
public sealed class AccountService(SignInManager<CityTwinUser> signInManager, SecurityAudit audit)
{
    public async Task<SignInOutcome> SignInAsync(string email, string password, bool remember, CancellationToken ct = default)
    {
        var user = await signInManager.UserManager.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            await audit.RecordAsync("SignInFailed", Safe(email), null, "unknown account", ct);
            return SignInOutcome.Failed;
        }

        var result = await signInManager.PasswordSignInAsync(user, password, remember, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await audit.RecordAsync("SignIn", user.Email ?? user.Id, null, null, ct);
            return SignInOutcome.Succeeded;
        }

        await audit.RecordAsync(result.IsLockedOut ? "SignInLockedOut" : "SignInFailed", user.Email ?? user.Id, null, null, ct);
        return result.IsLockedOut ? SignInOutcome.LockedOut : SignInOutcome.Failed;
    }

    public async Task SignOutAsync(string who, CancellationToken ct = default)
    {
        await signInManager.SignOutAsync();
        await audit.RecordAsync("SignOut", who, null, null, ct);
    }

    private static string Safe(string s) => new([.. s.Where(c => !char.IsControl(c)).Take(256)]);
}
