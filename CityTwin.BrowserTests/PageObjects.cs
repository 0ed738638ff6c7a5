using Microsoft.Playwright;

namespace CityTwin.BrowserTests;

/// <summary>The static sign-in page.</summary>
public sealed class SignInPage(IPage page)
{
    public async Task SignInAsync(string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.Locator("#signin-submit").ClickAsync();
    }
}

/// <summary>The interactive staff shell: waits for the circuit before anything is clicked.</summary>
public sealed class StaffShell(IPage page)
{
    public async Task WaitInteractiveAsync() =>
        await page.Locator(".staff-content[data-interactive='true']").WaitForAsync(new() { Timeout = 20_000 });

    public async Task<IReadOnlyList<string>> NavigationAsync()
    {
        var links = await page.Locator("nav a, .mud-navmenu a").AllInnerTextsAsync();
        return [.. links.Select(l => l.Trim()).Where(l => l.Length > 0)];
    }

    public async Task SignOutAsync() => await page.Locator("#sign-out").ClickAsync();
}
