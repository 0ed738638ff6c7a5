using CityTwin.Web.Features.JsonLd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CityTwin.Tests.Import;

/// <summary><c>CityTwin:JsonLd:ContextDirectory</c>: local copies of remote contexts, used without the network.</summary>
public sealed class ContextDirectoryTests : IDisposable
{
    private const string Url = "https://contexts.example.invalid/trees/context.jsonld"; // .invalid never resolves
    private readonly string _folder = Directory.CreateTempSubdirectory("citytwin-contexts-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_folder, name), text);

    [Fact]
    public async Task AContextOfTheFolder_ResolvesOffline()
    {
        Write("index.json", $$"""{ "{{Url}}": "trees.jsonld" }""");
        Write("trees.jsonld", """{ "@context": { "girth": "https://vocab.example.invalid/girth" } }""");
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var resolver = new ContextResolver(services.GetRequiredService<IHttpClientFactory>(), NullLogger<ContextResolver>.Instance,
            Options.Create(new JsonLdOptions { ContextDirectory = _folder }));

        var context = await resolver.ResolveUrlAsync(Url);

        Assert.Equal("https://vocab.example.invalid/girth", context.Expand("girth"));
        Assert.Equal("https://uri.etsi.org/ngsi-ld/location", context.Expand("location")); // the core context still follows
    }

    [Theory]
    [InlineData("""{ "https://contexts.example.invalid/a.jsonld": "../outside.jsonld" }""", null, "is not in the folder")]
    [InlineData("""{ "not a url": "a.jsonld" }""", "{}", "must map an absolute URL")]
    [InlineData("""{ "https://contexts.example.invalid/a.jsonld": "a.jsonld" }""", """{ "girth": 1 }""", "has no @context member")]
    [InlineData("""[ "a.jsonld" ]""", null, "must be an object")]
    [InlineData("""{ "https://contexts.example.invalid/a.jsonld": "a.jsonld" """, null, "invalid JSON")]
    public void ABrokenFolder_IsRefusedNamingTheSettingAndTheProblem(string index, string? file, string expected)
    {
        Write("index.json", index);
        if (file is not null)
        {
            Write("a.jsonld", file);
        }

        var result = new JsonLdOptionsValidator().Validate(null, new JsonLdOptions { ContextDirectory = _folder });

        Assert.True(result.Failed);
        Assert.Contains("CityTwin:JsonLd:ContextDirectory", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }
}
