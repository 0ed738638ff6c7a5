using System.Text.Json;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>The NGSI-LD error types (ETSI GS CIM 009 V1.9.1, 6.3.2) and their HTTP status codes.</summary>
public static class NgsiLdErrors
{
    public const string Prefix = "https://uri.etsi.org/ngsi-ld/errors/";
    public const string InvalidRequest = "InvalidRequest";
    public const string BadRequestData = "BadRequestData";
    public const string AlreadyExists = "AlreadyExists";
    public const string OperationNotSupported = "OperationNotSupported";
    public const string ResourceNotFound = "ResourceNotFound";
    public const string InternalError = "InternalError";
    public const string TooComplexQuery = "TooComplexQuery";
    public const string TooManyResults = "TooManyResults";
    public const string LdContextNotAvailable = "LdContextNotAvailable";
    public const string NoMultiTenantSupport = "NoMultiTenantSupport";

    /// <summary>
    /// Not an ETSI type: a conditional write (<c>If-Match</c> with an entity's ETag) on an entity that changed since
    /// (HTTP 412, RFC 9110 13.1.1). A full IRI, so it is not mistaken for one of ETSI's.
    /// </summary>
    public const string PreconditionFailed = "https://w3id.org/citytwin/errors/PreconditionFailed";

    /// <summary>The status of an error type (LdContextNotAvailable: 504 in V1.9.1, configurable, see <see cref="NgsiLdOptions"/>).</summary>
    public static int StatusOf(string type, int contextNotAvailableStatus = 504) => type switch
    {
        InvalidRequest or BadRequestData => StatusCodes.Status400BadRequest,
        AlreadyExists => StatusCodes.Status409Conflict,
        OperationNotSupported => StatusCodes.Status422UnprocessableEntity,
        ResourceNotFound => StatusCodes.Status404NotFound,
        TooComplexQuery or TooManyResults => StatusCodes.Status403Forbidden,
        LdContextNotAvailable => contextNotAvailableStatus,
        NoMultiTenantSupport => StatusCodes.Status501NotImplemented,
        PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static string TitleOf(string type) => type switch
    {
        InvalidRequest => "The request is malformed",
        BadRequestData => "The request data is invalid",
        AlreadyExists => "The entity already exists",
        OperationNotSupported => "The operation is not supported",
        ResourceNotFound => "The resource was not found",
        TooComplexQuery => "The query is too complex",
        TooManyResults => "The query returns too many results",
        LdContextNotAvailable => "A JSON-LD @context could not be retrieved",
        NoMultiTenantSupport => "Tenants are not supported",
        PreconditionFailed => "The entity changed since it was read",
        _ => "Internal error",
    };

    /// <summary>A ProblemDetails object (RFC 7807) with the ETSI error type, as JSON.</summary>
    public static void Write(Utf8JsonWriter w, string type, string detail, int status)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteString("type", type.Contains(':', StringComparison.Ordinal) ? type : Prefix + type);
        w.WriteString("title", TitleOf(type));
        w.WriteNumber("status", status);
        w.WriteString("detail", detail);
        w.WriteEndObject();
    }
}

/// <summary>An NGSI-LD error: its ETSI type and a detail that names the problem.</summary>
public sealed class NgsiLdException(string type, string detail) : Exception(detail)
{
    public string Type { get; } = type;

    public static NgsiLdException BadData(string detail) => new(NgsiLdErrors.BadRequestData, detail);

    /// <summary>A broken domain rule as BadRequestData, naming the field when the rule has one.</summary>
    public static NgsiLdException BadData(Domain.DomainException rule) =>
        BadData(rule is { Field: { } field } ? $"{field}: {rule.Message}" : rule.Message);

    public static NgsiLdException Invalid(string detail) => new(NgsiLdErrors.InvalidRequest, detail);

    public static NgsiLdException NotFound(string id) => new(NgsiLdErrors.ResourceNotFound, $"Entity '{id}' was not found.");

    public static NgsiLdException PreconditionFailed(string id, long current) => new(NgsiLdErrors.PreconditionFailed,
        $"Entity '{id}' changed since it was read (If-Match does not match its current ETag {NgsiLdHttp.ETag(current)}); read it again and reapply the change. Nothing was written.");
}

/// <summary>NGSI-LD API settings: <c>CityTwin:NgsiLd</c>.</summary>
public sealed class NgsiLdOptions
{
    public const string Section = "CityTwin:NgsiLd";

    /// <summary>
    /// The status of an <c>LdContextNotAvailable</c> error: 504 as in NGSI-LD V1.9.1 (default), or 503 as the ETSI
    /// test suite (upstream 043_01) and several brokers expect.
    /// </summary>
    public int ContextNotAvailableStatus { get; set; } = StatusCodes.Status504GatewayTimeout;

    /// <summary>The page size of a query without <c>limit</c>, and the largest <c>limit</c> accepted.</summary>
    public int DefaultLimit { get; set; } = 20;

    public int MaxLimit { get; set; } = 1000;

    /// <summary>The most instances per attribute in a temporal answer; more make it partial (206 with Content-Range, 6.3.10).</summary>
    public int TemporalLimit { get; set; } = 10_000;

    /// <summary>How many built entities <see cref="NgsiEntityCache"/> keeps (0 turns the cache off); ~17 KiB of managed heap each.</summary>
    public int EntityCacheSize { get; set; } = 10_000;
}

/// <summary>Checks <see cref="NgsiLdOptions"/> at start-up (ADR 0005): one line naming the setting.</summary>
public sealed class NgsiLdOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<NgsiLdOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, NgsiLdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ContextNotAvailableStatus is not (503 or 504))
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                $"{NgsiLdOptions.Section}:ContextNotAvailableStatus must be 503 or 504 (got {options.ContextNotAvailableStatus}).");
        }

        if (options.MaxLimit is < 1 or > 10_000 || options.DefaultLimit < 1 || options.DefaultLimit > options.MaxLimit)
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                $"{NgsiLdOptions.Section}: MaxLimit must be 1–10000 and DefaultLimit 1–MaxLimit (got {options.DefaultLimit} / {options.MaxLimit}).");
        }

        if (options.EntityCacheSize is < 0 or > 1_000_000)
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                $"{NgsiLdOptions.Section}:EntityCacheSize must be 0 (off) to 1000000 entities (got {options.EntityCacheSize}).");
        }

        if (options.TemporalLimit is < 1 or > 1_000_000)
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                $"{NgsiLdOptions.Section}:TemporalLimit must be 1–1000000 (got {options.TemporalLimit}).");
        }

        return Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
