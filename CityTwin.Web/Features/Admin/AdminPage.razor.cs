using CityTwin.Web.Features.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace CityTwin.Web.Features.Admin;

/// <summary>Users and roles, API keys and the security log. Every act goes through a feature service that audits it.</summary>
public sealed partial class AdminPage
{
    private IReadOnlyList<UserSummary> _users = [];
    private IReadOnlyList<ApiKeySummary> _keys = [];
    private IReadOnlyList<SecurityEvent> _events = [];
    private NewUserModel _new = new();
    private MudForm? _form;
    private UserSummary? _resetFor;
    private string? _resetPassword;
    private string? _keyName;
    private ApiKeyScope _keyScope = ApiKeyScope.Write;
    private CreatedApiKey? _created;
    private string _actor = "unknown";
    private string _actorId = "";

    [Inject] private UserAdminService Users { get; set; } = default!;
    [Inject] private ApiKeyService Keys { get; set; } = default!;
    [Inject] private SecurityAudit Audit { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        _actor = user.ActorName();
        _actorId = user.UserId() ?? "";
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        _users = await Users.ListAsync();
        _keys = await Keys.ListAsync();
        _events = await Audit.RecentAsync(200);
    }

    private async Task ToggleRoleAsync(UserSummary user, string role, bool on)
    {
        var roles = on ? user.Roles.Append(role).Distinct().ToList() : user.Roles.Where(r => r != role).ToList();
        Report(await Users.SetRolesAsync(user.Id, roles, _actorId, _actor), $"Roles of {user.Email} updated.");
        await ReloadAsync();
    }

    private async Task SetLockedAsync(UserSummary user, bool locked)
    {
        Report(await Users.SetLockedAsync(user.Id, locked, _actorId, _actor), locked ? $"{user.Email} is locked out." : $"{user.Email} can sign in again.");
        await ReloadAsync();
    }

    private void BeginReset(UserSummary user)
    {
        _resetFor = user;
        _resetPassword = null;
    }

    private async Task ResetAsync()
    {
        if (_resetFor is null)
        {
            return;
        }

        var result = await Users.ResetPasswordAsync(_resetFor.Id, _resetPassword ?? "", _actor);
        Report(result, $"Password of {_resetFor.Email} changed.");
        if (result.Succeeded)
        {
            _resetFor = null;
        }

        await ReloadAsync();
    }

    private async Task DeleteAsync(UserSummary user)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete account",
            $"Delete the account {user.Email}? The person can no longer sign in. This cannot be undone.", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        Report(await Users.DeleteAsync(user.Id, _actorId, _actor), $"{user.Email} deleted.");
        await ReloadAsync();
    }

    private void ToggleNewRole(string role, bool on)
    {
        if (on)
        {
            _new.Roles.Add(role);
        }
        else
        {
            _new.Roles.Remove(role);
        }
    }

    private async Task CreateUserAsync()
    {
        if (_form is not null)
        {
            await _form.ValidateAsync();
            if (!_form.IsValid)
            {
                return;
            }
        }

        var result = await Users.CreateAsync(new NewUser(_new.Email ?? "", _new.DisplayName ?? "", _new.Password ?? "", [.. _new.Roles]), _actor);
        Report(result, $"Account {_new.Email} created.");
        if (result.Succeeded)
        {
            _new = new NewUserModel();
            if (_form is not null)
            {
                await _form.ResetAsync();
            }
        }

        await ReloadAsync();
    }

    private async Task CreateKeyAsync()
    {
        try
        {
            _created = await Keys.CreateAsync(_keyName ?? "", _keyScope, _actor);
            _keyName = null;
            await ReloadAsync();
        }
        catch (ArgumentException ex)
        {
            Snackbar.Add(ex.Message.Split(" (Parameter")[0], Severity.Error);
        }
    }

    private async Task RevokeAsync(ApiKeySummary key)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Revoke API key",
            $"Revoke the key '{key.Name}'? Clients using it are refused at once. This cannot be undone.", yesText: "Revoke", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        if (await Keys.RevokeAsync(key.Id, _actor))
        {
            Snackbar.Add($"Key '{key.Name}' revoked: it stops working at once.", Severity.Success);
        }

        await ReloadAsync();
    }

    private void Report(AdminResult result, string success)
    {
        if (result.Succeeded)
        {
            Snackbar.Add(success, Severity.Success);
        }
        else
        {
            Snackbar.Add(string.Join(" ", result.Errors), Severity.Error);
        }
    }

    private sealed class NewUserModel
    {
        public string? Email { get; set; }
        public string? DisplayName { get; set; }
        public string? Password { get; set; }
        public HashSet<string> Roles { get; } = [];
    }
}
