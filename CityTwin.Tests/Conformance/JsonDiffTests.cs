using System.Text.Json.Nodes;

namespace CityTwin.Tests.Conformance;

/// <summary>The ported suite's body comparison must be as strict as the suite's own (deepdiff with ignore_order).</summary>
public sealed class JsonDiffTests
{
    private static List<string> Diff(string expected, string actual, params string[] ignored) =>
        JsonDiff.Compare(JsonNode.Parse(expected), JsonNode.Parse(actual), ignored);

    [Theory]
    [InlineData("""{"a":1,"b":[1,2]}""", """{"b":[2,1],"a":1}""")]
    [InlineData("""{"@context":["x"]}""", """{"@context":"x"}""")]
    [InlineData("""{"observedAt":"2020-09-09T16:40:00.000Z"}""", """{"observedAt":"2020-09-09T16:40:00Z"}""")]
    [InlineData("""{"createdAt":"2020-01-01T00:00:00Z"}""", """{"createdAt":"2026-11-28T01:00:00.123Z"}""")]
    public void Equal(string expected, string actual) => Assert.Empty(Diff(expected, actual));

    [Theory]
    [InlineData("""{"a":4}""", """{"a":4.0}""")]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""")]
    [InlineData("""{"a":1,"b":2}""", """{"a":1}""")]
    [InlineData("""{"a":[1,1]}""", """{"a":[1]}""")]
    [InlineData("""{"a":"1"}""", """{"a":1}""")]
    [InlineData("""{"observedAt":"2020-09-09T16:40:00Z"}""", """{"observedAt":"2020-09-09T16:41:00Z"}""")]
    [InlineData("""{"createdAt":"x"}""", """{"createdAt":"not a date"}""")]
    public void Different(string expected, string actual) => Assert.NotEmpty(Diff(expected, actual));

    [Fact]
    public void IgnoredKeys_AreRegexesOnThePath() => Assert.Empty(Diff("""{"a":1,"@context":"x"}""", """{"a":1,"@context":"y"}""", "@context"));
}
