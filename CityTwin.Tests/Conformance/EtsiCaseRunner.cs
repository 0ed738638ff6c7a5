using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CityTwin.Tests.Conformance;

/// <summary>
/// Runs an ETSI test case transcribed in <c>docs/conformance/cases-*.jsonl</c> (one JSON object per Robot test case:
/// setup, steps, teardown as keyword calls with the HTTP request each sends) against the broker: the suite's keywords
/// re-implemented (requests, payload loading, id replacement, and the assertions of AssertionUtils with the suite's
/// comparison rules, <see cref="JsonDiff"/>). A keyword this runner does not know fails the case by name.
/// </summary>
public sealed partial class EtsiCaseRunner(HttpClient client)
{
    private readonly Dictionary<string, object?> _vars = new(StringComparer.Ordinal);
    private HttpResponseMessage? _last;

    public static IReadOnlyDictionary<string, JsonObject> Cases { get; } = LoadCases();

    private static Dictionary<string, JsonObject> LoadCases()
    {
        var folder = FindDocs();
        var cases = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "cases-*.jsonl"))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
            {
                var c = JsonNode.Parse(line)!.AsObject();
                var key = c["id"]!.GetValue<string>();
                // A few upstream ids repeat (010_07_01, 019_01_06): number the repeats.
                while (cases.ContainsKey(key))
                {
                    key += "'";
                }

                cases[key] = c;
            }
        }

        return cases;
    }

    private static string FindDocs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "conformance");
            if (Directory.Exists(candidate) && Directory.GetFiles(candidate, "cases-*.jsonl").Length > 0)
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("docs/conformance with the transcribed ETSI cases was not found above the test binaries.");
    }

    public async Task RunAsync(string id)
    {
        var c = Cases[id];
        try
        {
            foreach (var step in Steps(c, "setup").Concat(Steps(c, "steps")))
            {
                await StepAsync(step);
            }
        }
        finally
        {
            foreach (var step in Steps(c, "teardown"))
            {
                try
                {
                    await StepAsync(step);
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException or HttpRequestException or InvalidOperationException)
                {
                    // Teardown results are not part of the verdict (the suite ignores them too).
                }
            }
        }
    }

    private static IEnumerable<JsonObject> Steps(JsonObject c, string part) => (c[part] as JsonArray ?? []).OfType<JsonObject>();

    private async Task StepAsync(JsonObject step)
    {
        var kw = step["kw"]!.GetValue<string>();
        var args = step["args"] as JsonObject ?? [];
        var assign = (args["assign"] ?? step["save_as"] ?? args["var"] ?? args["save_as"])?.GetValue<string>();
        if (kw.StartsWith("Generate Random", StringComparison.Ordinal))
        {
            var pattern = (args["value"] ?? args["value_pattern"])!.GetValue<string>();
            _vars[assign ?? "id"] = Etsi.RandomId(pattern.Split(':')[2]);
            return;
        }

        if ((step["http"] ?? args["http"]) is JsonObject http)
        {
            var response = await SendAsync(kw, args, http);
            _vars[assign ?? "response"] = response;
            _last = response;
            foreach (var followUp in step["followup_http"] as JsonArray ?? [])
            {
                await SendAsync("follow-up", [], (JsonObject)followUp!);
            }

            if (args["check_status"] is { } status)
            {
                Etsi.Status(status.GetValue<int>(), response);
            }

            return;
        }

        switch (kw)
        {
            case "Load Entity" or "Load Test Sample" or "Load JSON From File":
                var path = Str(args["filename"] ?? args["entity_file_name"] ?? args["test_sample_file_path"] ?? args["path"] ?? args["payload_file"]);
                var id = Sub(Str(args["entity_id"] ?? args["test_sample_id"]));
                _vars[assign ?? "sample"] = Etsi.Load(DataPath(path), string.IsNullOrEmpty(id) ? null : id);
                return;
            case "Delete Object From JSON":
                var json = ((JsonNode)Var(Str(args["json_object"]))!).DeepClone().AsObject();
                json.Remove(Str(args["json_path"]).Replace("$.", "", StringComparison.Ordinal));
                _vars[assign!] = json;
                return;
            case "Set Variable":
                _vars[assign!] = Evaluate(Str(args["value"]));
                return;
            case "Create List":
                _vars[assign!] = args["values"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
                return;
            case "Catenate":
                _vars[assign!] = string.Join(Str(args["SEPARATOR"]), args["values"]!.AsArray().Select(v => Sub(v!.GetValue<string>())));
                return;
            case "Check Response Status Code":
                Etsi.Status(args["expected_status"]!.GetValue<int>(), Response(args["response"] ?? args["of"]));
                return;
            case "Check Response Body Is Empty":
                await Etsi.BodyIsEmptyAsync(Response(args["response"] ?? args["of"]));
                return;
            case "Check Response Headers Containing URI set to":
                var location = Response(args["response"] ?? args["of"]).Headers.Location;
                if (location is not null)
                {
                    Assert.Contains(Sub(Str(args["expected_entity_id"])), location.OriginalString, StringComparison.Ordinal);
                }

                return;
            case "Check Response Headers Containing Content-Type set to":
                Assert.Equal(Str(args["expected"]), Response(args["of"]).Content.Headers.ContentType?.ToString());
                return;
            case "Check Response Headers Link Not Empty":
                Assert.True(Response(args["of"]).Headers.TryGetValues("Link", out var links) && links.Any(l => l.Length > 0));
                return;
            case "Check Response Headers Containing NGSILD-Results-Count Equals To":
                Assert.Equal(Sub(Str(args["expected_result_count"] ?? args["expected"])),
                    Response(args["response"] ?? args["of"] ?? args["response_headers"]).Headers.GetValues("NGSILD-Results-Count").Single());
                return;
            case "Check Response Body Containing ProblemDetails Element Containing Type Element set to":
                var problem = await BodyAsync(args["response_body"] ?? args["of"]);
                Assert.Equal(Str(args["type"] ?? args["error_type"]), problem?["type"]?.GetValue<string>());
                return;
            case "Check Response Body Containing ProblemDetails Element Containing Title Element":
                Assert.False(string.IsNullOrEmpty((await BodyAsync(args["response_body"] ?? args["of"]))?["title"]?.GetValue<string>()));
                return;
            case "Check Created Resource Set To" or "Check Updated Resource Set To" or "Check Resource Set To":
                var expected = (JsonNode)Var(Str(args["created_resource"] ?? args["updated_resource"] ?? args["expected_resource"]))!;
                Compare(expected, await BodyAsync(args["response_body"]), Ignored(args));
                return;
            case "Check Created Resources Set To" or "Check Updated Resources Set To":
                Compare(ExpectedList(args["expected"]!.AsArray()), await BodyAsync(args["response_body"]), Ignored(args));
                return;
            case "Check Response Body Containing Entity element":
                var expectation = Etsi.Load(ExpectationPath(Str(args["expectation_filename"] ?? args["expectation_file"])));
                Etsi.ReplaceIds(expectation, Sub(Str(args["entity_id"])));
                Compare(expectation, await BodyAsync(args["response_body"] ?? args["of"] ?? "response"), Ignored(args), args["ignore_core_context_version"]?.GetValue<bool>() == true);
                return;
            case "Check Response Body Containing List Containing Entity Elements With Different Types":
                var list = Etsi.Load(ExpectationPath(Str(args["filename"])))!.AsArray();
                var ids = args["entities_representation_ids"]!.AsArray().Select(i => Sub(i!.GetValue<string>())).ToList();
                for (var i = 0; i < list.Count; i++)
                {
                    Etsi.ReplaceIds(list[i], ids[i]);
                }

                Compare(list, await BodyAsync(args["response_body"]), Ignored(args), args["ignore_core_context_version"]?.GetValue<bool>() == true);
                return;
            case "Check Response Body Containing an Attribute set to":
                var body = (await BodyAsync(args["response_body"]))!.AsObject();
                var name = Sub(Str(args["expected_attribute_name"]));
                Assert.True(body.ContainsKey(name) && body[name] is not null, $"{name} in {body.ToJsonString()}");
                if (args["expected_attribute_value"] is { } value)
                {
                    Assert.Equal(Sub(value.GetValue<string>()), body[name]!.GetValue<string>());
                }

                return;
            case "Check JSON Value In Response Body":
                var root = await BodyAsync(args["response_body"]);
                Assert.Equal(Sub(Str(args["value_to_check"])), Subscript(root, Str(args["json_path_expr"]))?.GetValue<string>());
                return;
            case "Check SUT Not Containing Resource":
                Etsi.Status(404, Response(Str(args["response_status"] ?? args["response"]).Split('.')[0]));
                return;
            case "Check SUT Not Containing Resources":
                Assert.Empty((await BodyAsync(args["response_body"]))!.AsArray());
                return;
            case "Check Response Body Containing Array Of URIs set to":
                var uris = (await BodyAsync(args["response_body"]))!.AsArray().Select(u => u!.GetValue<string>()).Order(StringComparer.Ordinal);
                Assert.Equal(args["expected_entities_ids"]!.AsArray().Select(u => Sub(u!.GetValue<string>())).Order(StringComparer.Ordinal), uris);
                return;
            case "Check Response Body Containing Batch Operation Result":
                var batch = (await BodyAsync(args["response_body"]))!.AsObject();
                var wanted = args["expected"]!.AsObject();
                Assert.Equal(Ids(wanted["success"]), batch["success"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));
                var errors = batch["errors"]!.AsArray();
                var expectedErrors = Ids(wanted["errors"]);
                Assert.Equal(expectedErrors.Count, errors.Count);
                Assert.All(errors, e =>
                {
                    Assert.Contains(e!["entityId"]!.GetValue<string>(), expectedErrors);
                    Assert.NotNull(e["error"]);
                });
                return;
            case "Check Response Body Containing Update Result":
                var update = (await BodyAsync(args["response_body"]))!.AsObject();
                var want = args["expected"]!.AsObject();
                Assert.Equal(Ids(want["updated"]), update["updated"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));
                var notUpdated = update["notUpdated"]!.AsArray();
                var expectedNot = Ids(want["notUpdated"]);
                Assert.Equal(expectedNot.Count, notUpdated.Count);
                Assert.All(notUpdated, n =>
                {
                    Assert.Contains(n!["attributeName"]!.GetValue<string>(), expectedNot);
                    Assert.False(string.IsNullOrEmpty(n["reason"]?.GetValue<string>()));
                });
                return;
            case "Check Response Body Containing EntityTypeList element" or "Check Response Body Containing AttributeList element"
                or "Check Response Body Containing EntityType element" or "Check Response Body Containing EntityTypeInfo element"
                or "Check Response Body Containing Attribute element":
                var ignoreId = kw.Contains("List element", StringComparison.Ordinal) ? new List<string> { @"^root\['id'\]$" } : [];
                Compare(Etsi.Load(DataPath(Str(args["expectation_filename"]))), await BodyAsync(args["response_body"]), ignoreId);
                return;
            case "Check Response Body Containing List Containing Entity Elements":
                var elements = (await BodyAsync(args["response_body"]))!.AsArray();
                var template = Str(args["expectation_filename"]);
                foreach (var entityId in args["entities_ids"]!.AsArray().Select(i => Sub(i!.GetValue<string>())))
                {
                    var element = elements.FirstOrDefault(e => e?["id"]?.GetValue<string>() == entityId);
                    Assert.True(element is not null, $"{entityId} in {elements.ToJsonString()}");
                    var expectedElement = Etsi.Load(ExpectationPath(template));
                    Etsi.ReplaceIds(expectedElement, entityId);
                    Compare(expectedElement, element, Ignored(args), args["ignore_core_context_version"]?.GetValue<bool>() == true);
                }

                return;
            case "Check Response Body Containing Number Of Entities":
                var counted = await BodyAsync(args["response_body"]);
                var items = counted is JsonArray many ? many.ToList() : [counted];
                Assert.Equal(args["expected_length"]!.GetValue<int>(), items.Count);
                Assert.All(items, e => Assert.Equal(Str(args["expected_entity_type"]), e?["type"]?.ToString()));
                return;
            case "Check Response Body Containing Entities URIS set to":
                var listed = (await BodyAsync(args["response_body"]))!.AsArray().Select(e => e!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal);
                Assert.Equal(Ids(args["expected_entities_ids"]), listed);
                return;
            case "Check Response Body Content":
                Compare(Etsi.Load(ExpectationPath(Str(args["expectation_filename"]))), await BodyAsync(args["response_body"]), Ignored(args));
                return;
            case "Check Body With Alternatives":
                var actualBody = await BodyAsync(args["response_body"]);
                var alternatives = args["alternatives"]!.AsArray().Select(a => Etsi.Load(ExpectationPath(a!.GetValue<string>()))).ToList();
                Assert.True(alternatives.Any(a => JsonDiff.Compare(a, actualBody, Ignored(args)).Count == 0), actualBody?.ToJsonString());
                return;
            case "Dictionary Should Contain Key" or "Dictionary Should Not Contain Key":
                var target = Str(args["target"]);
                var dictionary = Subscript(await BodyAsync(JsonValue.Create(target[..(target.IndexOf(".json()", StringComparison.Ordinal) + 7)])),
                    target[(target.IndexOf(".json()", StringComparison.Ordinal) + 7)..]) as JsonObject;
                Assert.Equal(kw == "Dictionary Should Contain Key", dictionary?.ContainsKey(Str(args["key"])) == true);
                return;
            default:
                Assert.Fail($"Keyword '{kw}' is not ported.");
                return;
        }
    }

    private List<string> Ids(JsonNode? list) => [.. (list as JsonArray ?? []).Select(i => Sub(i!.GetValue<string>())).Order(StringComparer.Ordinal)];

    private JsonArray ExpectedList(JsonArray spec)
    {
        var result = new JsonArray();
        foreach (var item in spec.OfType<JsonObject>())
        {
            var entity = Etsi.Load(DataPath(Str(item["source"])), Sub(Str(item["id"])))!.AsObject();
            if (item["shallow_merge_fragment"] is { } fragment)
            {
                foreach (var (key, value) in Etsi.Load(DataPath(fragment.GetValue<string>()))!.AsObject())
                {
                    entity[key] = value?.DeepClone();
                }
            }

            result.Add(entity);
        }

        return result;
    }

    private static void Compare(JsonNode expected, JsonNode? actual, List<string> ignored, bool ignoreCoreContextVersion = false)
    {
        if (ignoreCoreContextVersion)
        {
            AcceptCoreContext(expected, actual);
        }

        var differences = JsonDiff.Compare(expected, actual, ignored);
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences) + Environment.NewLine + actual?.ToJsonString());
    }

    /// <summary>Any single core-context URL in the actual @context is as good as the expected one.</summary>
    private static void AcceptCoreContext(JsonNode expected, JsonNode? actual)
    {
        if (expected is JsonArray e && actual is JsonArray a)
        {
            foreach (var (x, y) in e.Zip(a))
            {
                AcceptCoreContext(x!, y);
            }

            return;
        }

        if (expected is JsonObject eo && actual is JsonObject ao && ao["@context"] is { } context &&
            (context is JsonArray { Count: 1 } one ? one[0] : context) is JsonValue single && CoreContext().IsMatch(single.GetValue<string>()))
        {
            eo["@context"] = context.DeepClone();
        }
    }

    [GeneratedRegex(@"^https://uri\.etsi\.org/ngsi-ld/v1/ngsi-ld-core-context(-v\d+\.\d+)?\.jsonld$")]
    private static partial Regex CoreContext();

    private List<string> Ignored(JsonObject args)
    {
        var list = new List<string> { "instanceId" };
        var ignored = args["ignored_keys"] ?? args["ignored_paths"];
        if (ignored is JsonArray array)
        {
            list.AddRange(array.Select(i => i!.GetValue<string>()).Select(i => i.Replace("root[*]", "root", StringComparison.Ordinal)));
        }
        else if (ignored is JsonValue v && v.GetValue<string>() is { } name && Var(name) is List<string> names)
        {
            list.AddRange(names);
        }

        return list;
    }

    private async Task<HttpResponseMessage> SendAsync(string kw, JsonObject args, JsonObject http)
    {
        var method = new HttpMethod(http["method"]!.GetValue<string>());
        var uri = Sub(http["path"]!.GetValue<string>()) + Query(http["query"]);
        using var request = new HttpRequestMessage(method, uri);
        var link = http["link_context"]?.GetValue<string>();
        if (link is not null)
        {
            request.Headers.Add("Link", Etsi.LinkHeader(link));
        }

        if (http["accept"]?.GetValue<string>() is { } accept)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (Body(kw, args, method) is { } body)
        {
            var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(http["content_type"]?.GetValue<string>() ?? "application/ld+json");
            request.Content = content;
        }

        return await client.SendAsync(request);
    }

    /// <summary>The body a keyword sends: a file (id replaced unless sent raw), a variable, or a list of entities or ids.</summary>
    private string? Body(string kw, JsonObject args, HttpMethod method)
    {
        if (method == HttpMethod.Get || method == HttpMethod.Delete || kw == "follow-up")
        {
            return null;
        }

        if (args["body"] is JsonObject literal)
        {
            return Sub(literal.ToJsonString());
        }

        if (args["entities"] is JsonArray entities)
        {
            return new JsonArray([.. entities.Select(e => ((JsonNode)Var(e!.GetValue<string>())!).DeepClone())]).ToJsonString();
        }

        if (args["entities_ids_to_be_deleted"] is JsonArray ids)
        {
            return new JsonArray([.. ids.Select(i => JsonValue.Create(Sub(i!.GetValue<string>())))]).ToJsonString();
        }

        foreach (var name in new[] { "entity_fragment", "attribute_fragment", "payload", "content" })
        {
            if (args[name] is JsonValue v && v.GetValue<string>().StartsWith("${", StringComparison.Ordinal))
            {
                return ((JsonNode)Var(v.GetValue<string>())!).ToJsonString();
            }
        }

        var file = Str(args["payload_file"] ?? args["fragment_filename"] ?? args["filename"] ?? args["entity_filename"] ?? args["filename_path"]);
        if (file.Length == 0)
        {
            return null;
        }

        var path = Path.Combine(EtsiBroker.DataRoot, DataPath(file));
        var transform = Str(args["payload_transform"] ?? args["body"]);
        if (transform.Contains("raw", StringComparison.Ordinal) || transform.Contains("as-is", StringComparison.Ordinal) || transform.Contains("unchanged", StringComparison.Ordinal) && !transform.Contains("$.id", StringComparison.Ordinal))
        {
            return File.ReadAllText(path);
        }

        if (transform.Contains("JSON string literal", StringComparison.Ordinal))
        {
            return JsonSerializer.Serialize(File.ReadAllText(path));
        }

        var id = Sub(Str(args["entity_id"] ?? args["id"] ?? args["entityId"]));
        var loaded = Etsi.Load(DataPath(file), id.Length > 0 ? id : null);
        foreach (var (replaced, value) in args["replaced_paths"] as JsonObject ?? [])
        {
            // "Create Linking Entity": $.id and e.g. $.locatedAt.object (or $..object: every object member) set to the
            // linking and linked entity ids.
            if (replaced.StartsWith("$..", StringComparison.Ordinal))
            {
                ReplaceEverywhere(loaded, replaced[3..], Sub(Str(value)));
                continue;
            }

            var names = replaced.TrimStart('$').Trim('.').Split('.');
            var parent = names[..^1].Aggregate((JsonNode?)loaded, (node, name) => node?[name]) as JsonObject;
            if (parent is not null)
            {
                parent[names[^1]] = Sub(Str(value));
            }
        }

        return loaded.ToJsonString();
    }

    private static void ReplaceEverywhere(JsonNode? node, string member, string value)
    {
        if (node is JsonObject o)
        {
            foreach (var key in o.Select(p => p.Key).ToList())
            {
                if (key == member)
                {
                    o[key] = value;
                }
                else
                {
                    ReplaceEverywhere(o[key], member, value);
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a)
            {
                ReplaceEverywhere(item, member, value);
            }
        }
    }

    /// <summary>A payload path relative to the suite's data folder (the transcriptions sometimes leave out "entities/").</summary>
    private static string DataPath(string file) =>
        File.Exists(Path.Combine(EtsiBroker.DataRoot, file)) ? file : "entities/" + file;

    private static string ExpectationPath(string file) =>
        file.StartsWith("entities/", StringComparison.Ordinal) ? file : "entities/expectations/" + file;

    private string Query(JsonNode? query)
    {
        var text = query switch
        {
            JsonObject o when o.Count > 0 => string.Join('&', o.Select(p => $"{p.Key}={Uri.EscapeDataString(Sub(p.Value?.ToString() ?? ""))}")),
            JsonValue v when v.GetValue<string>() is { Length: > 0 } s => Sub(s),
            _ => "",
        };
        return text.Length == 0 ? "" : "?" + text;
    }

    private HttpResponseMessage Response(JsonNode? name) => Response(Str(name).Split('.')[0]);

    /// <summary>A response by the name the transcription gives it; names it never assigned mean the latest response.</summary>
    private HttpResponseMessage Response(string name) =>
        (_vars.TryGetValue(name.Length == 0 ? "response" : name, out var value) ? value as HttpResponseMessage : _last)
        ?? throw new InvalidOperationException($"No response named {name}.");

    /// <summary>The JSON body of a named response, and a subscript after it (<c>response.json()['errors'][0]['error']</c>).</summary>
    private async Task<JsonNode?> BodyAsync(JsonNode? name)
    {
        var text = await Response(name).Content.ReadAsStringAsync();
        var body = text.Length == 0 ? null : JsonNode.Parse(text);
        var reference = Str(name);
        var at = reference.IndexOf(".json()", StringComparison.Ordinal);
        return at >= 0 && at + ".json()".Length < reference.Length ? Subscript(body, reference[(at + ".json()".Length)..]) : body;
    }

    private object? Var(string reference)
    {
        var name = reference.StartsWith("${", StringComparison.Ordinal) ? reference[2..^1] : reference;
        return _vars.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"No variable {name}.");
    }

    /// <summary>Substitutes ${variables} holding strings.</summary>
    private string Sub(string text) => VariableReference().Replace(text, m => _vars.TryGetValue(m.Groups[1].Value, out var v) && v is string s ? s : m.Value);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex VariableReference();

    /// <summary>Evaluates <c>response.json()['a']['b']</c>.</summary>
    private string? Evaluate(string expression)
    {
        var at = expression.IndexOf(".json()", StringComparison.Ordinal);
        if (at < 0)
        {
            return Sub(expression);
        }

        var body = JsonNode.Parse(Response(expression[..at]).Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return Subscript(body, expression[(at + ".json()".Length)..])?.GetValue<string>();
    }

    private static JsonNode? Subscript(JsonNode? root, string path)
    {
        foreach (Match m in SubscriptPart().Matches(path))
        {
            root = m.Groups[1].Success ? root?[m.Groups[1].Value] : root?[int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)];
        }

        return root;
    }

    [GeneratedRegex(@"\['([^']*)'\]|\[(\d+)\]")]
    private static partial Regex SubscriptPart();

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
