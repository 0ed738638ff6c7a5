namespace CityTwin.Web.Features.Portal;

/// <summary>Marker type for the public portal's strings (PortalStrings.resx, .fr.resx, .nl.resx).</summary>
public sealed class PortalStrings;

public static class PortalCultures
{
    public static IReadOnlyList<(string Code, string Label)> Supported { get; } =
        [("en", "English"), ("fr", "Français"), ("nl", "Nederlands")];

    public static string[] Codes { get; } = [.. Supported.Select(c => c.Code)];
}
