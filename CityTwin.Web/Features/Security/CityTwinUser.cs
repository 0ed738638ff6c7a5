using Microsoft.AspNetCore.Identity;

namespace CityTwin.Web.Features.Security;

/// <summary>A staff account (ASP.NET Core Identity) with a display name.</summary>
public sealed class CityTwinUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}

/// <summary>The staff roles. Anonymous visitors are citizens and have no role.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string Curator = "Curator";
    public const string DecisionMaker = "DecisionMaker";

    public static IReadOnlyList<string> All { get; } = [Administrator, Curator, DecisionMaker];

    /// <summary>Role lists for <c>[Authorize(Roles = …)]</c> on pages.</summary>
    public const string AnyStaff = Administrator + "," + Curator + "," + DecisionMaker;

    public const string Curators = Administrator + "," + Curator;

    public static string Label(string role) => role switch
    {
        DecisionMaker => "Decision-maker",
        _ => role,
    };
}

/// <summary>Authorization policies for endpoints.</summary>
public static class Policies
{
    /// <summary>Writes through the machine APIs: an API key with write scope, or a signed-in curator or administrator.</summary>
    public const string ApiWrite = "ApiWrite";

    /// <summary>Signed-in staff (any role).</summary>
    public const string Staff = "Staff";
}
