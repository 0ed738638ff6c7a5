using System.Security.Claims;
using CityTwin.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace CityTwin.Web.Features.Security;

public static class SecurityRegistration
{
    private const string SelectorScheme = "CityTwin";

    /// <summary>
    /// Identity (cookie) for staff, API keys (Bearer) for machines, chosen per request by the Authorization header.
    /// Browsers are redirected to sign-in; API callers get 401/403.
    /// </summary>
    public static IHostApplicationBuilder AddCityTwinSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectorScheme;
                o.DefaultChallengeScheme = SelectorScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(SelectorScheme, "Cookie or API key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "CityTwin.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });

        services.AddIdentityCore<CityTwinUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Lockout.MaxFailedAccessAttempts = 8;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(10);
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CityTwinDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.ApiWrite, p => p.RequireAssertion(c =>
                c.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, "write") ||
                c.User.IsInRole(Roles.Administrator) || c.User.IsInRole(Roles.Curator)));

        services.AddCascadingAuthenticationState();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<SecurityAudit>();
        services.AddSingleton<UserAdminService>();
        services.AddScoped<AccountService>();
        return builder;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (IsMachineRequest(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    internal static bool IsMachineRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/ngsi-ld") ||
        request.Path.StartsWithSegments("/health");

    /// <summary>POST /account/logout (antiforgery-protected form post from the staff layout).</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (HttpContext context, AccountService accounts, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Problem("The sign-out form has expired or did not come from this site. Reload the page and try again.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            await accounts.SignOutAsync(context.User.Identity?.Name ?? "unknown", context.RequestAborted);
            return Results.LocalRedirect("~/");
        }).RequireAuthorization().DisableAntiforgery();
        return app;
    }

    public static string ActorName(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    /// <summary>
    /// Staff (any role) and write-scope API keys see internal data; anonymous callers (citizens) and read-only keys
    /// see what is published only. One rule for the asset search, exports and the NGSI-LD API.
    /// </summary>
    public static bool SeesInternalData(this ClaimsPrincipal user) =>
        Roles.All.Any(user.IsInRole) || user.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, "write");

    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);
}
