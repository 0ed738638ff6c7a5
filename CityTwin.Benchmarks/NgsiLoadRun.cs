using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;

namespace CityTwin.Benchmarks;

/// <summary>
/// The NGSI-LD load run of issue #5 (performance.md §9.4): the real app (Release, its own process, Kestrel on
/// 127.0.0.1) over a fresh demo city at scale 10 (~100k entities), driven on loopback by an open-model, fixed-rate
/// generator (latency counted from each request's scheduled time, so no coordinated omission) pinned to one core,
/// plus wrk (Debian package) for closed-model ceilings. Every figure is printed beside a baseline measured in the
/// same run: GET /health/live for HTTP, ADO.NET on the same database file for the queries, the raw import pipeline for
/// batch upsert.
/// <code>dotnet run -c Release --project CityTwin.Benchmarks -- ngsi-load [seconds-per-phase]</code>
/// </summary>
public static class NgsiLoadRun
{
    private const string Key = "ctk_load_write_key_000000001";
    private const string Port = "5099";
    private static readonly string Base = $"http://127.0.0.1:{Port}";
    private const string StreetlightType = "https://smartdatamodels.org/dataModel.Streetlighting/Streetlight";
    private const string PowerRating = "https://smartdatamodels.org/dataModel.Streetlighting/powerRating";
    private const string LanternHeight = "https://smartdatamodels.org/dataModel.Streetlighting/lanternHeight";

    private sealed record Figures(string Name, double Rate, int Sent, int Errors, double P50, double P95, double P99, double Seconds, double SendP95)
    {
        public double Achieved => (Sent - Errors) / Seconds;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"| {Name} | {Rate:F0}/s | {Sent} | {Errors} | {Achieved:F0}/s | {P50:F1} | {P95:F1} | {P99:F1} | {SendP95:F1} |");
    }

    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 1 && int.TryParse(args[1], out var s) ? s : 10;
        var root = FindRoot();
        var db = Path.Combine(Path.GetTempPath(), $"citytwin-load-{Guid.NewGuid():N}.db");
        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        // NGSI_LOAD_DB=<file>: start from a copy of an already seeded database (quick iterations; the report says so).
        if (Environment.GetEnvironmentVariable("NGSI_LOAD_DB") is { Length: > 0 } template)
        {
            File.Copy(template, db);
        }

        using var server = StartServer(root, db);
        try
        {
            var ready = Stopwatch.StartNew();
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            while (!await ReadyAsync(probe))
            {
                if (ready.Elapsed > TimeSpan.FromMinutes(4) || server.HasExited)
                {
                    throw new InvalidOperationException("The app did not become ready (see its output above).");
                }

                await Task.Delay(500);
            }

            // The generator runs on core 1; the server may use both (it shares core 1 with the generator).
            if (OperatingSystem.IsLinux() && Environment.ProcessorCount > 1)
            {
                Process.GetCurrentProcess().ProcessorAffinity = 2;
            }
            Say($"## NGSI-LD load run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            Say($"App ready in {ready.Elapsed.TotalSeconds:F0} s (fresh database, demo city at scale 10). Phases of {seconds} s; generator pinned to core 1.");

            var sample = Sample(db);
            Say($"Entities: {sample.Total}; Streetlights: {sample.Streetlights.Count} sampled of {sample.StreetlightCount}.");
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = new Uri(Base),
                Timeout = TimeSpan.FromSeconds(30),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            http.DefaultRequestHeaders.Add("Link", $"<{Base}/ngsi-ld/contexts/citytwin.jsonld>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"");

            // Warm up every path once.
            foreach (var warm in new[] { "/health/live", Entity(sample.Streetlights[0]), TypeQ(), Within(sample) })
            {
                for (var i = 0; i < 50; i++)
                {
                    (await http.GetAsync(warm)).Dispose();
                }
            }

            // The open-model phases, shared by the full run and NGSI_LOAD_ONLY.
            var random = new Random(20261128);
            static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);
            Task<Figures> GetPhase(string name, int rate) =>
                OpenAsync(http, name, rate, seconds, _ => Get(Entity(sample.Streetlights[random.Next(sample.Streetlights.Count)])));
            Task<Figures> CreatePhase() => OpenAsync(http, "POST entity (create)", 1500, seconds, i => Create($"open-{i}"));
            Task<Figures> QueryPhase() => OpenAsync(http, "GET type+q, limit=100", 20, seconds * 3, _ => Get(TypeQ()));
            Task<Figures> WithinPhase() => OpenAsync(http, "GET georel=within, limit=100", 20, seconds * 3, _ => Get(Within(sample)));
            // The same paths with the entity cache (ADR 0014) of no help: ids never read before, boxes around random assets.
            Task<Figures> ColdGetPhase() => OpenAsync(http, "GET entity by id, each id read once (entity cache cold)", 500, seconds,
                i => Get(Entity(sample.Unread[i % sample.Unread.Count])));
            Task<Figures> ColdWithinPhase() => OpenAsync(http, "GET georel=within, limit=100, a box around a random asset each time (cache mostly cold)", 20, seconds * 3,
                i => Get(Within(sample.Corners[i % sample.Corners.Count])));

            // NGSI_LOAD_ONLY=get,createwarm,create,query,within,coldget,coldwithin: only these phases (quick iterations, not a full report).
            if (Environment.GetEnvironmentVariable("NGSI_LOAD_ONLY") is { Length: > 0 } only)
            {
                foreach (var phase in only.Split(','))
                {
                    var figures = phase switch
                    {
                        "get" => await GetPhase("GET entity by id", 500),
                        "create" => await CreatePhase(),
                        "createwarm" => await WarmCreatesAsync(http, seconds),
                        "query" => await QueryPhase(),
                        "within" => await WithinPhase(),
                        "coldget" => await ColdGetPhase(),
                        "coldwithin" => await ColdWithinPhase(),
                        _ => throw new ArgumentException($"NGSI_LOAD_ONLY: unknown phase '{phase}' (get, createwarm, create, query, within, coldget, coldwithin)"),
                    };
                    Say(figures.ToString());
                }

                return;
            }

            Say("");
            Say("### Closed-model ceilings (wrk, 1 thread, 10 connections, pinned to core 1)");
            Say("| path | req/s | latency avg |");
            Say("|---|---|---|");
            var health = Wrk(Base + "/health/live", seconds);
            Say($"| GET /health/live (baseline) | {health.Rate:F0} | {health.Latency} |");
            var get = Wrk(Base + Entity(sample.Streetlights[1]), seconds);
            Say($"| GET /ngsi-ld/v1/entities/{{id}} | {get.Rate:F0} | {get.Latency} |");
            var createCeiling = await ClosedAsync(http, seconds, (w, i) => Create($"closed-{w}-{i}"));
            var queryCeiling = await ClosedAsync(http, seconds, (_, _) => new HttpRequestMessage(HttpMethod.Get, TypeQ()));
            var withinCeiling = await ClosedAsync(http, seconds, (_, _) => new HttpRequestMessage(HttpMethod.Get, Within(sample)));
            Say($"| POST /ngsi-ld/v1/entities (C# closed loop, 10 workers) | {createCeiling:F0} | — |");
            Say($"| GET type+q, limit=100 (C# closed loop, 10 workers) | {queryCeiling:F0} | — |");
            Say($"| GET georel=within, limit=100 (C# closed loop, 10 workers) | {withinCeiling:F0} | — |");
            Say(string.Create(CultureInfo.InvariantCulture, $"Ratios: get {get.Rate / health.Rate:F2} × health; create {createCeiling / health.Rate:F2} × health (G4 goal ≥ 0.25)."));

            Say("");
            Say("### Open model, fixed arrival rate (latency from the scheduled send time, ms)");
            Say("| path | rate | sent | errors | achieved | p50 | p95 | p99 | p95 from the actual send |");
            Say("|---|---|---|---|---|---|---|---|---|");
            // The HTTP baseline for latencies: the same pipeline (API key included) answering without any work.
            var healthFigures = await OpenAsync(http, "GET /health/live (baseline)", 500, seconds, _ => Get("/health/live"));
            Say(healthFigures.ToString());
            var getFigures = await GetPhase("GET entity by id", 500);
            Say(getFigures.ToString());
            var getLight = await GetPhase("GET entity by id (light load)", 200);
            Say(getLight.ToString());
            var createFigures = await CreatePhase();
            Say(createFigures.ToString());
            var queryFigures = await QueryPhase();
            Say(queryFigures.ToString());
            var withinFigures = await WithinPhase();
            Say(withinFigures.ToString());
            Say((await ColdGetPhase()).ToString());
            Say((await ColdWithinPhase()).ToString());

            Say("");
            Say("### Baselines on the same database file (ADO.NET, same run, ms)");
            var pk = SqlLatency(db, "SELECT * FROM Assets WHERE Id = $p", sample.Streetlights, 5000);
            // The same plan the API uses (registry order, stop at 100): a rowid scan filtered by type and the two values.
            var q = SqlLatency(db, $"SELECT a.* FROM Assets a WHERE a.Status <> 'Decommissioned' AND a.Seq > 0 AND a.Type IN (SELECT value FROM json_each('[\"Streetlight\"]')) AND json_extract(a.Attributes, '$.\"{PowerRating}\".value') > 100 AND json_extract(a.Attributes, '$.\"{LanternHeight}\".value') < 8 ORDER BY a.Seq LIMIT 100", ["x"], 300);
            var box = SqlLatency(db, string.Create(CultureInfo.InvariantCulture, $"SELECT a.* FROM Assets a WHERE a.Seq IN (SELECT Seq FROM AssetBounds WHERE MaxLon >= {sample.West} AND MinLon <= {sample.West + 0.02} AND MaxLat >= {sample.South} AND MinLat <= {sample.South + 0.02}) ORDER BY a.Seq LIMIT 100"), ["x"], 300);
            Say("| baseline | p50 | p95 | API p95 | ratio (API p95 ÷ baseline p95) |");
            Say("|---|---|---|---|---|");
            Say(string.Create(CultureInfo.InvariantCulture, $"| PK lookup | {pk.P50:F2} | {pk.P95:F2} | {getFigures.P95:F1} | {getFigures.P95 / pk.P95:F1} (G6 goal ≤ 3) |"));
            Say(string.Create(CultureInfo.InvariantCulture, $"| GET /health/live at 500/s (HTTP round trip, no work) | {healthFigures.P50:F2} | {healthFigures.P95:F2} | {getFigures.P95:F1} | {getFigures.P95 / healthFigures.P95:F1} |"));
            Say(string.Create(CultureInfo.InvariantCulture, $"| type + two json_extract, LIMIT 100 | {q.P50:F2} | {q.P95:F2} | {queryFigures.P95:F1} | {queryFigures.P95 / q.P95:F1} (G5 goal ≤ 5) |"));
            Say(string.Create(CultureInfo.InvariantCulture, $"| R*Tree box, LIMIT 100 | {box.P50:F2} | {box.P95:F2} | {withinFigures.P95:F1} | {withinFigures.P95 / box.P95:F1} |"));

            Say("");
            Say("### Batch upsert (new entities, 1,000 per request, one request at a time)");
            var batch = await BatchUpsertAsync(http, batches: 20, size: 1000);
            var raw = RawPipeline(batch.Payloads);
            Say(string.Create(CultureInfo.InvariantCulture, $"API: {batch.Entities} entities in {batch.Seconds:F2} s = **{batch.Entities / batch.Seconds:F0} entities/s**; raw pipeline (STJ parse + prepared INSERT + R*Tree, same entities, fresh file): {raw:F0} entities/s; ratio {batch.Entities / batch.Seconds / raw:F2} (G1 goal ≥ 0.40)."));
            var update = await BatchUpsertAsync(http, batches: 5, size: 1000, reuse: batch.Payloads);
            Say(string.Create(CultureInfo.InvariantCulture, $"Upsert of existing entities (replace, entity by entity): {update.Entities} in {update.Seconds:F2} s = {update.Entities / update.Seconds:F0} entities/s."));
            var outFile = Path.Combine(root, "CityTwin.Benchmarks", "ngsi-load-last.md");
            await File.WriteAllTextAsync(outFile, report.ToString());
            Console.WriteLine($"(written to {outFile})");
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }

            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(db + suffix);
            }
        }
    }

    /// <summary>Closed-loop creates (as the full run's ceiling phase, which warms the create path before its open phase).</summary>
    private static async Task<Figures> WarmCreatesAsync(HttpClient http, int seconds)
    {
        var rate = await ClosedAsync(http, seconds, (w, i) => Create($"warm-{w}-{i}"));
        return new Figures($"POST entity (closed loop, 10 workers, warm-up): {rate:F0} req/s", 0, 0, 0, 0, 0, 0, seconds, 0);
    }

    private static string Entity(string id) => "/ngsi-ld/v1/entities/" + Uri.EscapeDataString(id);

    private static string TypeQ() =>
        $"/ngsi-ld/v1/entities?type={Uri.EscapeDataString(StreetlightType)}&q={Uri.EscapeDataString($"{Term(PowerRating)}>100;{Term(LanternHeight)}<8")}&limit=100";

    // The q language takes terms; the full IRIs are given through the CityTwin context the app serves.
    private static string Term(string iri) => iri[(iri.LastIndexOf('/') + 1)..];

    private static string Within((double West, double South) at) => string.Create(CultureInfo.InvariantCulture,
        $"/ngsi-ld/v1/entities?georel=within&geometry=Polygon&coordinates={Uri.EscapeDataString($"[[[{at.West},{at.South}],[{at.West + 0.02},{at.South}],[{at.West + 0.02},{at.South + 0.02}],[{at.West},{at.South + 0.02}],[{at.West},{at.South}]]]")}&limit=100");

    private static string Within(Sampled s) => Within((s.West, s.South));

    private static HttpRequestMessage Create(string tag)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $$"""
            {"id":"urn:ngsi-ld:Streetlight:load-{{tag}}-{{Guid.NewGuid():N}}","type":"{{StreetlightType}}",
             "name":{"type":"Property","value":"Load street light {{tag}}"},
             "{{PowerRating}}":{"type":"Property","value":70,"unitCode":"WTT"},
             "{{LanternHeight}}":{"type":"Property","value":6,"unitCode":"MTR"},
             "https://uri.etsi.org/ngsi-ld/status":{"type":"Property","value":"ok"},
             "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[4.45,50.87]} } }
            """);
        return new HttpRequestMessage(HttpMethod.Post, "/ngsi-ld/v1/entities") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    /// <param name="Unread">Other Streetlights, each read once by the cold GET phase (never in the entity cache).</param>
    /// <param name="Corners">South-west corners of 0.02° boxes around random assets, one per cold within request.</param>
    private sealed record Sampled(int Total, int StreetlightCount, List<string> Streetlights, double West, double South,
        List<string> Unread, List<(double West, double South)> Corners);

    private static Sampled Sample(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM Assets";
        var total = Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        cmd.CommandText = "SELECT count(*) FROM Assets WHERE Type = 'Streetlight'";
        var lights = Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        cmd.CommandText = "SELECT Id FROM Assets WHERE Type = 'Streetlight' AND Status <> 'Decommissioned' ORDER BY random() LIMIT 8000";
        var ids = new List<string>();
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                ids.Add(r.GetString(0));
            }
        }

        var unread = ids[2000..];
        ids = ids[..2000];
        cmd.CommandText = "SELECT MinLon, MinLat FROM Assets WHERE MinLon IS NOT NULL ORDER BY random() LIMIT 1000";
        var corners = new List<(double, double)>();
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                corners.Add((r.GetDouble(0) - 0.01, r.GetDouble(1) - 0.01));
            }
        }

        // A 0.02° box around the median asset (a dense part of the city).
        cmd.CommandText = "SELECT MinLon, MinLat FROM Assets WHERE MinLon IS NOT NULL ORDER BY MinLon LIMIT 1 OFFSET (SELECT count(*) / 2 FROM Assets WHERE MinLon IS NOT NULL)";
        using var b = cmd.ExecuteReader();
        b.Read();
        return new Sampled(total, lights, ids, b.GetDouble(0) - 0.01, b.GetDouble(1) - 0.01, unread, corners);
    }

    private static (double P50, double P95) SqlLatency(string db, string sql, List<string> values, int runs)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        var p = cmd.Parameters.Add("$p", SqliteType.Text);
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            p.Value = values[i % values.Count];
            var t = Stopwatch.GetTimestamp();
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    for (var f = 0; f < r.FieldCount; f++)
                    {
                        _ = r.GetValue(f);
                    }
                }
            }

            times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[runs / 2], times[(int)(runs * 0.95)]);
    }

    /// <summary>Open model: request i is due at i / rate; its latency runs from that instant to the end of its response.</summary>
    private static async Task<Figures> OpenAsync(HttpClient http, string name, double rate, int seconds, Func<int, HttpRequestMessage> make)
    {
        var n = (int)(rate * seconds);
        var latencies = new double[n];
        var fromSend = new double[n];
        var failed = new bool[n];
        var tasks = new Task[n];
        var kinds = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds * 3 + 30));
        async Task Send(int k, double due)
        {
            var sent = clock.Elapsed.TotalSeconds;
            try
            {
                using var request = make(k);
                using var response = await http.SendAsync(request, stop.Token);
                await response.Content.ReadAsByteArrayAsync(stop.Token);
                failed[k] = !response.IsSuccessStatusCode;
                if (failed[k])
                {
                    kinds.AddOrUpdate(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), 1, (_, c) => c + 1);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failed[k] = true;
                kinds.AddOrUpdate(e.GetType().Name + ": " + e.Message, 1, (_, c) => c + 1);
            }

            latencies[k] = (clock.Elapsed.TotalSeconds - due) * 1000;
            fromSend[k] = (clock.Elapsed.TotalSeconds - sent) * 1000;
        }

        // The timetable runs on its own thread and starts each request itself (no hand-over to the thread pool):
        // it sleeps to ~1 ms before the due time, then yields the core (sched_yield) until the instant: timers alone
        // wake ~1 ms late, and that lateness would be counted against the app (GET p95 7.9 ms from the schedule with
        // 3.6 ms from the actual send; with the yield both ~3.5 ms). A busy spin took the app's CPU (create p95 ×4).
        await Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < n; i++)
            {
                var due = i / rate;
                var wait = due - clock.Elapsed.TotalSeconds;
                if (wait > 0.002)
                {
                    Thread.Sleep(TimeSpan.FromMilliseconds(Math.Floor(wait * 1000) - 1));
                }

                // Above 1,000 requests/s the next one is due within a millisecond: the thread would yield all the
                // time and compete with the app (CFS often hands a yielding thread its core straight back), so there
                // it sends when a ~1 ms sleep is over, late by under a millisecond (counted against the app).
                while (rate <= 1000 && clock.Elapsed.TotalSeconds < due)
                {
                    Thread.Yield();
                }

                if (rate > 1000 && due - clock.Elapsed.TotalSeconds > 0.001)
                {
                    Thread.Sleep(1);
                }

                tasks[i] = Send(i, due);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        foreach (var (kind, count) in kinds)
        {
            Console.WriteLine($"  {name}: {count} × {kind}");
        }

        var sorted = latencies.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * q))];
        var sendSorted = fromSend.Order().ToArray();
        return new Figures(name, rate, n, failed.Count(f => f), At(0.5), At(0.95), At(0.99), elapsed, sendSorted[Math.Min(n - 1, (int)(n * 0.95))]);
    }

    private static async Task<double> ClosedAsync(HttpClient http, int seconds, Func<int, int, HttpRequestMessage> make)
    {
        var count = 0;
        var end = DateTime.UtcNow.AddSeconds(seconds);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(w => Task.Run(async () =>
        {
            for (var i = 0; DateTime.UtcNow < end; i++)
            {
                using var request = make(w, i);
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref count);
                }
            }
        })));
        return count / clock.Elapsed.TotalSeconds;
    }

    private sealed record Batch(int Entities, double Seconds, List<string> Payloads);

    private static async Task<Batch> BatchUpsertAsync(HttpClient http, int batches, int size, List<string>? reuse = null)
    {
        var payloads = reuse?.Take(batches).ToList() ?? [.. Enumerable.Range(0, batches).Select(b => "[" + string.Join(',', Enumerable.Range(0, size).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $$"""
                {"id":"urn:ngsi-ld:Streetlight:batch-{{b}}-{{i}}-{{Guid.NewGuid():N}}","type":"{{StreetlightType}}",
                 "name":{"type":"Property","value":"Batch light {{b}}-{{i}}"},
                 "{{PowerRating}}":{"type":"Property","value":{{50 + (i % 100)}},"unitCode":"WTT"},
                 "{{LanternHeight}}":{"type":"Property","value":{{4 + (i % 8)}},"unitCode":"MTR"},
                 "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[{{4.40 + (i % 100) * 0.001}},{{50.85 + (b % 20) * 0.001}}]} } }
                """))) + "]")];
        var clock = Stopwatch.StartNew();
        var entities = 0;
        foreach (var payload in payloads)
        {
            using var response = await http.PostAsync("/ngsi-ld/v1/entityOperations/upsert", new StringContent(payload, Encoding.UTF8, "application/json"));
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Batch upsert answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            entities += size;
        }

        return new Batch(entities, clock.Elapsed.TotalSeconds, payloads);
    }

    /// <summary>The raw pipeline of performance.md (G1 baseline) over the same payloads, into a fresh file of the same schema.</summary>
    private static double RawPipeline(List<string> payloads)
    {
        using var target = new BenchDatabase();
        using var c = target.Open();
        var clock = Stopwatch.StartNew();
        var n = 0;
        foreach (var payload in payloads)
        {
            using var tx = c.BeginTransaction();
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO Assets (Id, Type, TypeIri, Name, Status, Criticality, Publication, Attributes, AttributePublication,
                                    Geometry, MinLon, MinLat, MaxLon, MaxLat, Version, CreatedAt, ModifiedAt)
                VALUES ($id, 'Streetlight', $type, $name, 'Active', 3, 'Public', $attributes, '{}', $geometry, $x, $y, $x, $y, 1, 0, 0)
                """;
            var id = cmd.Parameters.Add("$id", SqliteType.Text);
            var type = cmd.Parameters.Add("$type", SqliteType.Text);
            var name = cmd.Parameters.Add("$name", SqliteType.Text);
            var attributes = cmd.Parameters.Add("$attributes", SqliteType.Text);
            var geometry = cmd.Parameters.Add("$geometry", SqliteType.Text);
            var x = cmd.Parameters.Add("$x", SqliteType.Real);
            var y = cmd.Parameters.Add("$y", SqliteType.Real);
            cmd.Prepare();
            using var doc = System.Text.Json.JsonDocument.Parse(payload);
            foreach (var entity in doc.RootElement.EnumerateArray())
            {
                id.Value = entity.GetProperty("id").GetString();
                type.Value = entity.GetProperty("type").GetString();
                name.Value = entity.GetProperty("name").GetProperty("value").GetString();
                attributes.Value = entity.GetProperty(PowerRating).GetRawText();
                var value = entity.GetProperty("location").GetProperty("value");
                geometry.Value = value.GetRawText();
                x.Value = value.GetProperty("coordinates")[0].GetDouble();
                y.Value = value.GetProperty("coordinates")[1].GetDouble();
                cmd.ExecuteNonQuery();
                n++;
            }

            tx.Commit();
        }

        return n / clock.Elapsed.TotalSeconds;
    }

    private static (double Rate, string Latency) Wrk(string url, int seconds)
    {
        var info = new ProcessStartInfo("taskset", ["-c", "1", "wrk", "-t1", "-c10", $"-d{seconds}s", "-H", $"Authorization: Bearer {Key}", url])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk).");
        var output = wrk.StandardOutput.ReadToEnd();
        wrk.WaitForExit();
        var rate = output.Split('\n').FirstOrDefault(l => l.StartsWith("Requests/sec:", StringComparison.Ordinal))?.Split(':')[1].Trim();
        var latency = output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("Latency", StringComparison.Ordinal))?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1];
        return (double.Parse(rate ?? "0", CultureInfo.InvariantCulture), latency ?? "?");
    }

    private static async Task<bool> ReadyAsync(HttpClient probe)
    {
        try
        {
            using var response = await probe.GetAsync(Base + "/health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static Process StartServer(string root, string db)
    {
        var web = Path.Combine(root, "CityTwin.Web");
        var dll = Path.Combine(web, "bin", "Release", "net10.0", "CityTwin.Web.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the app in Release first: dotnet build -c Release CityTwin.Web", dll);
        }

        var info = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = web, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["Urls"] = Base;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["ConnectionStrings__CityTwin"] = $"Data Source={db}";
        info.Environment["CityTwin__Seed__Scale"] = "10";
        info.Environment["CityTwin__Seed__ObservationDays"] = "7";
        info.Environment["CityTwin__Security__BootstrapApiKey"] = Key;
        info.Environment["CityTwin__Security__BootstrapAdminPassword"] = "Load-admin-2026-x";
        var process = Process.Start(info) ?? throw new InvalidOperationException("The app did not start.");
        // The app's log goes to a file beside the database (errors under overload would drown the report).
        var log = new StreamWriter(db + ".log") { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CityTwin.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("CityTwin.sln not found above the benchmark binaries.");
    }
}
