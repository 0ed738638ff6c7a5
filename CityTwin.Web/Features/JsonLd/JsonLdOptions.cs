using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CityTwin.Web.Features.JsonLd;

/// <summary>JSON-LD settings: <c>CityTwin:JsonLd</c>.</summary>
public sealed class JsonLdOptions
{
    public const string Section = "CityTwin:JsonLd";

    /// <summary>
    /// A folder whose <c>index.json</c> maps context URLs to files in the folder (<c>{"https://…/context.jsonld":
    /// "file.jsonld"}</c>); the files are pre-loaded into the context cache, so those contexts never need the network
    /// (offline and air-gapped deployments). Empty = none (the built-in core, Smart Data Models and CityTwin contexts
    /// need no folder).
    /// </summary>
    public string? ContextDirectory { get; set; }

    /// <summary>URL → context document text of <see cref="ContextDirectory"/>; throws <see cref="InvalidDataException"/> naming the problem.</summary>
    public static IReadOnlyDictionary<string, string> LoadDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new InvalidDataException($"{Section}:ContextDirectory '{directory}' does not exist.");
        }

        var index = Path.Combine(directory, "index.json");
        if (!File.Exists(index))
        {
            throw new InvalidDataException($"{Section}:ContextDirectory '{directory}' has no index.json (URL → file).");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(index));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{Section}:ContextDirectory: index.json must be an object of context URL → file name.");
            }

            var root = Path.GetFullPath(directory);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (!Uri.TryCreate(entry.Name, UriKind.Absolute, out _) || entry.Value.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"{Section}:ContextDirectory: index.json entry '{entry.Name}' must map an absolute URL to a file name.");
                }

                var file = Path.GetFullPath(Path.Combine(root, entry.Value.GetString()!));
                if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
                {
                    throw new InvalidDataException($"{Section}:ContextDirectory: the file '{entry.Value.GetString()}' for '{entry.Name}' is not in the folder.");
                }

                var text = File.ReadAllText(file);
                using (var context = JsonDocument.Parse(text))
                {
                    if (!context.RootElement.TryGetProperty("@context", out _))
                    {
                        throw new InvalidDataException($"{Section}:ContextDirectory: '{entry.Value.GetString()}' has no @context member.");
                    }
                }

                result[entry.Name] = text;
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Section}:ContextDirectory: invalid JSON ({e.Message}).", e);
        }

        return result;
    }
}

internal sealed class JsonLdOptionsValidator : IValidateOptions<JsonLdOptions>
{
    public ValidateOptionsResult Validate(string? name, JsonLdOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ContextDirectory))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            JsonLdOptions.LoadDirectory(options.ContextDirectory);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
