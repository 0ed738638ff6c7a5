using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using CityTwin.Tests.Support;

namespace CityTwin.Tests.Api;

/// <summary>The API and the open-data exports are compressed when the client asks; pages never are (ADR 0015).</summary>
[Collection(AppCollection.Name)]
public sealed class ApiCompressionTests(CityTwinAppFactory app)
{
    private const string Streetlights = "/ngsi-ld/v1/entities?type=https%3A%2F%2Fsmartdatamodels.org%2FdataModel.Streetlighting%2FStreetlight&limit=500";

    private async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(string path, string? encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        }

        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    private static byte[] Decode(string encoding, byte[] body)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData(Streetlights, "br")]
    [InlineData(Streetlights, "gzip")]
    [InlineData("/api/exports/assets?format=csv&type=Streetlight", "br")]
    [InlineData("/api/exports/assets?format=geojson&type=Streetlight", "gzip")]
    [InlineData("/openapi/v1.json", "br")]
    public async Task MachineAnswers_AreCompressedWhenAsked_AndDecodeToTheSameBytes(string path, string encoding)
    {
        var (plainResponse, plain) = await GetAsync(path, null);
        Assert.Empty(plainResponse.Content.Headers.ContentEncoding);
        var (packedResponse, packed) = await GetAsync(path, encoding);
        Assert.Equal([encoding], packedResponse.Content.Headers.ContentEncoding);
        Assert.True(packed.Length * 4 < plain.Length, $"{packed.Length} bytes compressed of {plain.Length}");
        Assert.Equal(plain, Decode(encoding, packed));
    }

    [Fact]
    public async Task Pages_AreNotCompressed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
