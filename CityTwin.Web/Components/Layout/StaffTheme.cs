using MudBlazor;

namespace CityTwin.Web.Components.Layout;

/// <summary>The staff area's theme: a calm municipal blue with AA-contrast text.</summary>
public static class StaffTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5f8b",
            Secondary = "#2e7d4f",
            AppbarBackground = "#16425f",
            Background = "#f6f8fa",
            DrawerBackground = "#ffffff",
            Success = "#2e7d32",
            Warning = "#b26a00",
            Error = "#c62828",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
