using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CityTwin.Web.Features.Security;

/// <summary>Authenticates machine clients by <c>Authorization: Bearer &lt;api key&gt;</c>.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ScopeClaim = "citytwin:scope";
    public const string KeyIdClaim = "citytwin:apikey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var identity = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var claims = new[]
        {
            new Claim(ClaimTypes.Name, "apikey:" + identity.Name),
            new Claim(ScopeClaim, identity.Scope.ToString().ToLowerInvariant()),
            new Claim(KeyIdClaim, identity.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"CityTwin\"";
        // A body keeps the status-code pages from re-executing the request as a (form-posting) page.
        await Results.Problem("Send an API key: Authorization: Bearer <key>.", statusCode: StatusCodes.Status401Unauthorized, title: "API key required")
            .ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await Results.Problem("This API key may not do that (it needs write scope).", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden")
            .ExecuteAsync(Context);
    }
}

public static class ApiKeyMiddleware
{
    /// <summary>
    /// A request that presents a Bearer key that is unknown or revoked gets 401 — even on endpoints open to anonymous
    /// callers — so a client with a bad key learns it instead of silently seeing public data only.
    /// </summary>
    public static IApplicationBuilder UseRejectInvalidApiKeys(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) &&
            context.User.Identity?.IsAuthenticated != true)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"CityTwin\", error=\"invalid_token\"";
            await Results.Problem("The API key is unknown or has been revoked.", statusCode: StatusCodes.Status401Unauthorized,
                title: "Invalid API key").ExecuteAsync(context);
            return;
        }

        await next();
    });
}
