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
    public static readonly string[] Groups = ["019", "003", "004", "005", "006", "010", "011", "012", "013", "054", "055", "056", "057"];

    /// <summary>Single cases of other groups (CommonResponses) on the operations the API offers.</summary>
    public static readonly string[] Singles =
    [
        "044_01_01", "059_01_01", "059_01_02",
        // Retrieve Entity with linked-entity retrieval (join, v1.8); the other 018 cases are hand-written (RetrieveEntityTests).
        "018_10_01", "018_10_02", "018_10_03", "018_10_04", "018_11_01", "018_12_01", "018_13_01", "018_13_02", "018_13_03", "018_13_04",
        "018_14_01", "018_14_02", "018_20_01", "018_20_02", "018_20_03", "018_20_04", "018_21_01", "018_21_02", "018_21_03", "018_21_04",
    ];

    /// <summary>Cases of these groups that do not pass yet, with why (docs/conformance.md lists them).</summary>
    public static readonly IReadOnlyDictionary<string, string> Pending = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };

    public static TheoryData<string> Ported()
    {
        var data = new TheoryData<string>();
        foreach (var id in EtsiCaseRunner.Cases.Keys.Where(k => (Groups.Contains(k[..3]) || Singles.Contains(k)) && !Pending.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ported))]
    public async Task Etsi(string id) => await new EtsiCaseRunner(broker.Client()).RunAsync(id);
}

/// <summary>ETSI 022–027 (discovery: /types, /attributes) from their transcriptions, on a broker of their own.</summary>
[Collection(EtsiDiscoveryCollection.Name)]
public sealed class TranscribedDiscoveryTests(EtsiDiscoveryBroker broker)
{
    public static readonly string[] Groups = ["022", "023", "024", "025", "026", "027"];

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
