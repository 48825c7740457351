using System.Net;
using System.Text;
using System.Text.Json;
using Fairlabel.Items;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Items;

public abstract class ImportsApiTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    static async Task<int> ItemCount(Api requester, int projectId) =>
        (await requester.GetJsonAsync($"/api/projects/{projectId}/items?limit=1")).GetProperty("total").GetInt32();

    [Fact]
    public async Task A_jsonl_import_stores_items_with_their_provenance()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var import = await P.ImportAsync(requester, id, P.Lines(25, gold: true));
        Assert.Equal("succeeded", import.GetProperty("status").GetString());
        Assert.Equal(25, import.GetProperty("inserted").GetInt64());
        Assert.Equal(import.GetProperty("totalBytes").GetInt64(), import.GetProperty("bytesRead").GetInt64());

        var page = await requester.GetJsonAsync($"/api/projects/{id}/items?limit=5");
        Assert.Equal(25, page.GetProperty("total").GetInt32());
        var first = page.GetProperty("items")[0];
        Assert.Equal("item-1", first.GetProperty("externalId").GetString());
        Assert.Equal("Sentence number 1", first.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal("CC-BY-4.0", first.GetProperty("provenance").GetProperty("licence").GetString());
        Assert.Equal("synthetic", first.GetProperty("provenance").GetProperty("consentBasis").GetString());
        Assert.Equal("pos", page.GetProperty("items")[1].GetProperty("gold").GetProperty("category").GetString());
    }

    [Fact]
    public async Task Re_importing_the_same_external_ids_does_not_duplicate()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        await P.ImportAsync(requester, id, P.Lines(10));
        var again = await P.ImportAsync(requester, id, P.Lines(15));
        Assert.Equal("succeeded", again.GetProperty("status").GetString());
        Assert.Equal(5, again.GetProperty("inserted").GetInt64());
        Assert.Equal(10, again.GetProperty("duplicates").GetInt64());
        Assert.Equal(15, await ItemCount(requester, id));
    }

    [Fact]
    public async Task A_bad_line_rejects_the_whole_file_naming_line_and_field()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var lines = P.Lines(30_000).Split('\n').ToList();
        // Bad lines far apart: the first lands after many rows were already written in chunks.
        lines[24_999] = """{"id": "x", "data": {"text": "t"}, "provenance": {"source": "s", "licence": "Not-A-Licence", "consentBasis": "synthetic"}}""";
        lines[25_999] = """{"id": "y", "data": "not an object", "provenance": {"source": "s", "licence": "MIT", "consentBasis": "maybe"}}""";
        lines[26_999] = """{"id": "z", "data": {"text": "t"}""";
        lines[27_999] = """{"id": "g", "data": {"text": "t"}, "gold": {"category": "purple"}, "provenance": {"source": "s", "licence": "MIT", "consentBasis": "synthetic"}}""";
        var import = await P.ImportAsync(requester, id, string.Join("\n", lines));

        Assert.Equal("failed", import.GetProperty("status").GetString());
        var errors = import.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("field").GetString())).ToList();
        Assert.Contains((25_000L, "provenance.licence"), errors);
        Assert.Contains((26_000L, "data"), errors);
        Assert.Contains((26_000L, "provenance.consentBasis"), errors);
        Assert.Contains((27_000L, "(line)"), errors);
        Assert.Contains((28_000L, "gold.category"), errors);
        Assert.Equal(0, await ItemCount(requester, id));
        // Two chunks were stored before the first error and then removed: nothing was inserted.
        Assert.Equal(0, import.GetProperty("inserted").GetInt64());
        Assert.Equal(0, import.GetProperty("duplicates").GetInt64());
    }

    [Fact]
    public async Task Csv_imports_with_quoted_fields_and_provenance_defaults()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        const string csv = "id,text,personal_data\r\na1,\"Hello, world\",false\r\na2,\"Line one\nline \"\"two\"\"\",true\r\n";
        var import = await P.ImportAsync(requester, id, csv, "items.csv",
            new() { ["source"] = "survey-2026", ["licence"] = "cc-by-sa-4.0", ["consentBasis"] = "consent" });
        Assert.Equal("succeeded", import.GetProperty("status").GetString());
        var items = (await requester.GetJsonAsync($"/api/projects/{id}/items")).GetProperty("items");
        Assert.Equal("Hello, world", items[0].GetProperty("data").GetProperty("text").GetString());
        Assert.Equal("Line one\nline \"two\"", items[1].GetProperty("data").GetProperty("text").GetString());
        Assert.True(items[1].GetProperty("provenance").GetProperty("personalData").GetBoolean());
        Assert.Equal("CC-BY-SA-4.0", items[0].GetProperty("provenance").GetProperty("licence").GetString());
        Assert.Equal("survey-2026", items[0].GetProperty("provenance").GetProperty("source").GetString());
    }

    [Fact]
    public async Task Csv_errors_name_the_line_and_column()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        const string csv = "id,text,licence,source,consent_basis\na1,ok,MIT,s,synthetic\na2,short\na3,x,MIT,s,whatever\n";
        var import = await P.ImportAsync(requester, id, csv, "items.csv");
        Assert.Equal("failed", import.GetProperty("status").GetString());
        var errors = import.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("field").GetString())).ToList();
        Assert.Contains((3L, "(line)"), errors);
        Assert.Contains((4L, "consent_basis"), errors);
        Assert.Equal(0, await ItemCount(requester, id));
    }

    [Fact]
    public async Task An_unclosed_quote_is_reported_at_the_line_it_opens()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var import = await P.ImportAsync(requester, id, "id,text\na1,fine\na2,\"never closed\na3,x\n", "items.csv",
            new() { ["source"] = "s", ["licence"] = "MIT", ["consentBasis"] = "synthetic" });
        Assert.Equal("failed", import.GetProperty("status").GetString());
        var error = import.GetProperty("errors")[0];
        Assert.Equal(3, error.GetProperty("line").GetInt64());
        Assert.Contains("never closed", error.GetProperty("message").GetString());
        Assert.Equal(0, await ItemCount(requester, id));
    }

    const string Provenance = "\"provenance\": {\"source\": \"s\", \"licence\": \"MIT\", \"consentBasis\": \"synthetic\"}";

    static List<(long Line, string? Field)> ErrorsOf(JsonElement import) => import.GetProperty("errors").EnumerateArray()
        .Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("field").GetString())).ToList();

    [Fact]
    public async Task Lines_that_are_not_an_item_of_this_template_are_refused_naming_line_and_field()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var notUtf8 = "{\"id\": \"u\", \"data\": {\"text\": \"caf";
        var file = new MemoryStream();
        void Line(string text) => file.Write(Encoding.UTF8.GetBytes(text + "\n"));
        Line(P.Lines(1));
        file.Write([.. Encoding.UTF8.GetBytes(notUtf8), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}, " + Provenance + "}\n")]);
        Line("""{"id": "flat", "text": "no data object", """ + Provenance + "}");
        Line("""{"id": "m", "data": {"body": "the template shows text"}, """ + Provenance + "}");
        Line("""{"id": "k", "data": {"text": 42}, """ + Provenance + "}");
        Line("""{"id": "o", "data": {"text": {"nested": "object"}}, """ + Provenance + "}");
        Line("""{"id": 7, "data": {"text": "t"}, """ + Provenance + "}");
        Line("""{"id": "p", "data": {"text": "t"}, "provenence": {"source": "s", "licence": "MIT", "consentBasis": "synthetic"}, "source": "s", "licence": "MIT", "consentBasis": "synthetic"}""");
        Line("""{"id": "q", "data": {"text": "t"}, "provenance": {"source": "s", "licence": "MIT", "consent_basis": "synthetic"}}""");
        Line("""{"id": "d", "id": "e", "data": {"text": "t"}, """ + Provenance + "}");

        var import = await P.ImportAsync(requester, id, file.ToArray(), "items.jsonl");

        Assert.Equal("failed", import.GetProperty("status").GetString());
        var errors = ErrorsOf(import);
        Assert.Contains((2L, "(line)"), errors);
        Assert.Contains((3L, "data"), errors);
        Assert.Contains((3L, "text"), errors);
        Assert.Contains((4L, "data.text"), errors);
        Assert.Contains((5L, "data.text"), errors);
        Assert.Contains((6L, "data.text"), errors);
        Assert.Contains((7L, "id"), errors);
        Assert.Contains((8L, "provenence"), errors);
        Assert.Contains((9L, "provenance.consent_basis"), errors);
        Assert.Contains((10L, "(line)"), errors);
        Assert.DoesNotContain(errors, e => e.Line == 1);
        var utf8 = import.GetProperty("errors").EnumerateArray().First(e => e.GetProperty("line").GetInt64() == 2);
        Assert.Contains("UTF-8", utf8.GetProperty("message").GetString());
        Assert.Equal(notUtf8.Length + 1, utf8.GetProperty("column").GetInt32());
        Assert.Equal(0, import.GetProperty("inserted").GetInt64());
        Assert.Equal(0, await ItemCount(requester, id));
    }

    [Fact]
    public async Task Invalid_json_is_reported_at_its_column_without_the_parser_internals()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var import = await P.ImportAsync(requester, id, P.Lines(1) + "\n{\"id\": \"é\", \"data\": {\"text\": oops}}\n");
        var error = import.GetProperty("errors")[0];
        Assert.Equal(2, error.GetProperty("line").GetInt64());
        Assert.Equal("(line)", error.GetProperty("field").GetString());
        Assert.Equal("{\"id\": \"é\", \"data\": {\"text\": ".Length + 1, error.GetProperty("column").GetInt32());
        Assert.DoesNotContain("LineNumber", error.GetProperty("message").GetString());
        Assert.DoesNotContain("BytePosition", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_line_over_the_limit_is_refused_and_the_lines_after_it_are_still_checked()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var huge = "{\"id\": \"huge\", \"data\": {\"text\": \"" + new string('x', (1 << 20) + 10) + "\"}, " + Provenance + "}";
        var bad = """{"id": "bad", "data": {"text": "t"}, "provenance": {"source": "s", "licence": "Not-A-Licence", "consentBasis": "synthetic"}}""";
        var import = await P.ImportAsync(requester, id, string.Join("\n", P.Lines(1), huge, bad, P.Lines(1, start: 2)));

        Assert.Equal("failed", import.GetProperty("status").GetString());
        var errors = ErrorsOf(import);
        Assert.Contains((2L, "(line)"), errors);
        Assert.Contains((3L, "provenance.licence"), errors);
        Assert.Contains("longer than", import.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(0, await ItemCount(requester, id));

        var csv = "id,text\na1,\"" + string.Join("\n", Enumerable.Repeat(new string('y', 1000), 1100)) + "\"\na2,fine\n";
        var record = await P.ImportAsync(requester, id, csv, "items.csv", Defaults);
        Assert.Equal("failed", record.GetProperty("status").GetString());
        Assert.Equal((2L, "(line)"), ErrorsOf(record).Single());
        Assert.Equal(0, await ItemCount(requester, id));
    }

    static readonly Dictionary<string, string> Defaults = new() { ["source"] = "s", ["licence"] = "MIT", ["consentBasis"] = "synthetic" };

    [Fact]
    public async Task Csv_is_refused_without_the_columns_the_template_shows_or_with_bytes_that_are_not_utf8()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var missing = await P.ImportAsync(requester, id, "id,body\na1,the template shows text\n", "items.csv", Defaults);
        Assert.Equal("failed", missing.GetProperty("status").GetString());
        Assert.Equal((1L, "text"), ErrorsOf(missing).Single());

        byte[] notUtf8 = [.. Encoding.UTF8.GetBytes("id,text\r\na1,fine\r\na2,caf"), 0xE9, .. Encoding.UTF8.GetBytes("\r\na3,ok\r\n")];
        var invalid = await P.ImportAsync(requester, id, notUtf8, "items.csv", Defaults);
        Assert.Equal("failed", invalid.GetProperty("status").GetString());
        var error = invalid.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(3, error.GetProperty("line").GetInt64());
        Assert.Equal("a2,caf".Length + 1, error.GetProperty("column").GetInt32());
        Assert.Contains("UTF-8", error.GetProperty("message").GetString());
        Assert.Equal(0, await ItemCount(requester, id));
    }

    [Fact]
    public async Task Tsv_and_csv_with_a_byte_order_mark_import()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var tsv = await P.ImportAsync(requester, id, "\uFEFFid\ttext\r\nt1\tHello, \"world\"\r\nt2\t\"tab\tinside\"\r\n", "items.tsv", Defaults);
        Assert.Equal("succeeded", tsv.GetProperty("status").GetString());
        var csv = await P.ImportAsync(requester, id, "\uFEFFid,text\r\nc1,plain\r\n", "items.csv", Defaults);
        Assert.Equal("succeeded", csv.GetProperty("status").GetString());

        var items = (await requester.GetJsonAsync($"/api/projects/{id}/items")).GetProperty("items");
        Assert.Equal(["t1", "t2", "c1"], items.EnumerateArray().Select(i => i.GetProperty("externalId").GetString()));
        Assert.Equal("Hello, \"world\"", items[0].GetProperty("data").GetProperty("text").GetString());
        Assert.Equal("tab\tinside", items[1].GetProperty("data").GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_upload_over_the_limit_answers_413_and_starts_no_import()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var tooLarge = new byte[FairlabelServer.UploadLimit + (128 << 10)];
        Array.Fill(tooLarge, (byte)'\n');

        var stated = await P.UploadAsync(requester.Http, id, tooLarge, "items.jsonl");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, stated.StatusCode);
        Assert.Equal("The upload is too large", (await Api.ProblemOf(stated)).GetProperty("title").GetString());

        // A client that does not state the size is stopped once the file passes the limit.
        using var form = new MultipartFormDataContent { { new UnsizedContent(tooLarge), "file", "items.jsonl" } };
        var unstated = await requester.Http.PostAsync($"/api/projects/{id}/imports", form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, unstated.StatusCode);
        Assert.Equal("The upload is too large", (await Api.ProblemOf(unstated)).GetProperty("title").GetString());

        Assert.Empty((await requester.GetJsonAsync($"/api/projects/{id}/imports")).EnumerateArray());
        var uploads = Path.Combine(server.DataDirectory, "uploads");
        Assert.DoesNotContain(Directory.Exists(uploads) ? Directory.GetFiles(uploads) : [], f => new FileInfo(f).Length > 8 << 20);
    }

    /// A body sent without Content-Length (chunked), as a streaming client sends it.
    sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();
        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task Files_that_are_not_jsonl_or_csv_are_refused()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var response = await P.UploadAsync(requester.Http, id, "<xml/>", "items.xml");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Api.ProblemOf(response)).GetProperty("errors").TryGetProperty("file", out _));
        Assert.Empty((await requester.GetJsonAsync($"/api/projects/{id}/imports")).EnumerateArray());
    }
}

/// Imports on several nodes: the node running an import keeps it alive; one whose node stopped
/// is failed by the duty leader, its rows removed, so the requester can import the file again.
public abstract class InterruptedImportTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    ItemImporter Importer => server.Service<ItemImporter>();

    static long Millis(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    async Task<long> RunningImportAsync(int projectId, DateTimeOffset aliveAt) =>
        await server.ScalarAsync(
            "INSERT INTO imports (project_id, file_name, format, status, lines_read, inserted, duplicates, bytes_read, " +
            $"total_bytes, errors, started_at, alive_at) VALUES ({projectId}, 'big.jsonl', 'jsonl', 'running', 0, 0, 0, 0, 0, '[]', " +
            $"{Millis(aliveAt.AddMinutes(-5))}, {Millis(aliveAt)}) RETURNING id");

    // What a node that died mid-import leaves: rows committed chunk by chunk, invisible until the end.
    Task AddHalfImportedRowsAsync(int projectId, long importId) => server.ExecuteAsync(
        "INSERT INTO items (project_id, external_id, data, gold, source, licence, consent_basis, personal_data, minors, " +
        "sensitivity, collected_at, import_id, imported_at, accepted, leased) " +
        $"SELECT project_id, external_id || '-half-{importId}', data, gold, source, licence, consent_basis, personal_data, minors, " +
        $"sensitivity, collected_at, {importId}, imported_at, 0, 0 FROM items WHERE project_id = {projectId} " +
        "AND import_id IN (SELECT id FROM imports WHERE status = 'succeeded')");

    [Fact]
    public async Task An_import_no_node_keeps_alive_is_failed_and_its_rows_removed_and_a_live_one_is_left_be()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        await P.ImportAsync(requester, id, P.Lines(10));
        var silent = await RunningImportAsync(id, DateTimeOffset.UtcNow - ImportWatch.SilentAfter - TimeSpan.FromSeconds(30));
        var alive = await RunningImportAsync(id, DateTimeOffset.UtcNow);
        await AddHalfImportedRowsAsync(id, silent);
        await AddHalfImportedRowsAsync(id, alive);

        await Importer.FailSilentImportsAsync(ImportWatch.SilentAfter);

        var failed = await requester.GetJsonAsync($"/api/projects/{id}/imports/{silent}");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("import the file again", failed.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM items WHERE import_id = {silent}"));
        Assert.Equal(1, await server.ScalarAsync(
            $"SELECT count(*) FROM events WHERE kind = 'import.failed' AND project_id = {id}"));
        Assert.Equal("running", await server.TextAsync($"SELECT status FROM imports WHERE id = {alive}"));
        Assert.Equal(10, await server.ScalarAsync($"SELECT count(*) FROM items WHERE import_id = {alive}"));
        Assert.Equal(10, (await requester.GetJsonAsync($"/api/projects/{id}/items?limit=1")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_node_running_an_import_keeps_it_alive_with_its_progress()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var longAgo = DateTimeOffset.UtcNow - ImportWatch.SilentAfter * 3;
        var running = await RunningImportAsync(id, longAgo);
        var progress = Importer.Begin(running);
        progress.LinesRead = 42_000;

        await Importer.KeepAliveAsync();
        await Importer.FailSilentImportsAsync(ImportWatch.SilentAfter);

        Assert.Equal("running", await server.TextAsync($"SELECT status FROM imports WHERE id = {running}"));
        Assert.True(await server.ScalarAsync($"SELECT alive_at FROM imports WHERE id = {running}") > Millis(longAgo));
        Assert.Equal(42_000, await server.ScalarAsync($"SELECT lines_read FROM imports WHERE id = {running}"));
    }
}

public sealed class InterruptedImportOnSqlite(SqliteServer server) : InterruptedImportTests<SqliteServer>(server);
public sealed class InterruptedImportOnPostgres(PostgresServer server) : InterruptedImportTests<PostgresServer>(server);

public sealed class ImportsApiOnSqlite(SqliteServer server) : ImportsApiTests<SqliteServer>(server);
public sealed class ImportsApiOnPostgres(PostgresServer server) : ImportsApiTests<PostgresServer>(server)
{
    readonly PostgresServer _server = server;

    Task<long> ExplicitAnalysesOfItemsAsync() =>
        _server.ScalarAsync("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'items'");

    Task<long> ExplicitVacuumsOfItemsAsync() =>
        _server.ScalarAsync("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'items'");

    // The planner's statistics of items follow imports, which change them, and not the work
    // loop's counter updates, which made autovacuum re-analyse 1,000,000 items every minute. The
    // new rows are vacuumed by the import too, not by autovacuum later under the taskers' load.
    [Fact]
    public async Task A_succeeded_import_leaves_items_vacuumed_and_analysed_and_autovacuum_leaves_that_to_imports()
    {
        Assert.Equal("autovacuum_analyze_scale_factor=10", await _server.TextAsync(
            "SELECT option FROM pg_class, unnest(reloptions) AS option " +
            "WHERE relname = 'items' AND option LIKE 'autovacuum_analyze%'"));
        var requester = await Api.SignUpAsync(_server, "requester");
        var id = await P.CreateAsync(requester);
        var before = await ExplicitAnalysesOfItemsAsync();
        var vacuumsBefore = await ExplicitVacuumsOfItemsAsync();

        var import = await P.ImportAsync(requester, id, P.Lines(20));

        Assert.Equal("succeeded", import.GetProperty("status").GetString());
        Assert.Equal(before + 1, await ExplicitAnalysesOfItemsAsync());
        Assert.Equal(vacuumsBefore + 1, await ExplicitVacuumsOfItemsAsync());
        var failed = await P.ImportAsync(requester, id, "{\"externalId\": \"x\"}\n");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(before + 1, await ExplicitAnalysesOfItemsAsync());
        Assert.Equal(vacuumsBefore + 1, await ExplicitVacuumsOfItemsAsync());
    }
}
