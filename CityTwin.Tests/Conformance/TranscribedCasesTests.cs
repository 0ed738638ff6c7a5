namespace CityTwin.Tests.Conformance;

/// <summary>
/// ETSI cases run from their transcription (docs/conformance/cases-*.jsonl) by <see cref="EtsiCaseRunner"/>: each
/// shows up under its ETSI id and title. The groups listed here are the ones whose operations the API offers; the
/// others are accounted for in docs/conformance.md.
/// </summary>
[Collection(EtsiCollection.Name)]
public sealed class TranscribedCasesTests(EtsiBroker broker)
{
    /// <summary>Operation numbers (first three digits of the ETSI id) run from the transcriptions.</summary>
    public static readonly string[] Groups = ["010", "011", "012", "013", "054", "055", "056"];

    public static TheoryData<string> Ported()
    {
        var data = new TheoryData<string>();
        foreach (var id in EtsiCaseRunner.Cases.Keys.Where(k => Groups.Contains(k[..3])).Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ported))]
    public async Task Etsi(string id) => await new EtsiCaseRunner(broker.Client()).RunAsync(id);
}
