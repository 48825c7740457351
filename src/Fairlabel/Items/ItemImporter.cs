using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using Fairlabel.Data;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Fairlabel.Items;

/// Progress of a running import, readable while it runs.
public sealed class ImportProgress
{
    public long LinesRead;
    public long Inserted;
    public long Duplicates;
    public long BytesRead;
    public long TotalBytes;
    public readonly List<LineError> Errors = [];
    public volatile string Status = ImportStatus.Running;
}

/// Streams an item file into a project. All or nothing without one giant transaction: rows are
/// committed in chunks but stay invisible (the work loop and exports only see items of
/// succeeded imports) until the whole file has passed; a failed or interrupted import deletes
/// its rows. Memory stays bounded by one line and one chunk, whatever the file size.
public sealed class ItemImporter(DatabaseSettings database, ProjectChanges projects, ImportMetrics metrics, TimeProvider clock, IOptions<ImportOptions> options,
    ILogger<ItemImporter> log)
{
    public const int MaxReportedErrors = 100;
    const int ChunkSize = 10_000;
    readonly ConcurrentDictionary<long, ImportProgress> _running = new();

    public ImportProgress? Running(long importId) => _running.GetValueOrDefault(importId);

    /// From here until it ends, the import is this node's: kept alive, and never failed as silent here.
    internal ImportProgress Begin(long importId) => _running[importId] = new ImportProgress();

    public async Task<ImportProgress> RunAsync(long importId, int projectId, string path, string format,
        ImportDefaults defaults, TaskTemplate template, CancellationToken cancel = default)
    {
        var progress = Begin(importId);
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            progress.TotalBytes = file.Length;
            var rows = new ItemFileReader(defaults, template, options.Value.MaxLineBytes).Read(file, format);

            await using var connection = await database.OpenAsync(cancel);
            var chunk = new List<ItemRow>(ChunkSize);
            foreach (var (line, row, errors) in rows)
            {
                progress.LinesRead = line;
                progress.BytesRead = file.Position;
                if (errors.Count > 0)
                {
                    lock (progress.Errors)
                        progress.Errors.AddRange(errors.Take(MaxReportedErrors - progress.Errors.Count));
                    if (progress.Errors.Count >= MaxReportedErrors) break;
                    continue;
                }
                // After the first error keep reading to report more problems, but store nothing.
                if (progress.Errors.Count > 0) continue;
                chunk.Add(row!);
                if (chunk.Count == ChunkSize) await InsertAsync(connection, importId, projectId, chunk, progress, cancel);
            }
            if (progress.Errors.Count == 0 && progress.LinesRead == 0)
                progress.Errors.Add(new LineError(1, "(file)", "the file holds no items"));
            if (progress.Errors.Count == 0)
            {
                await InsertAsync(connection, importId, projectId, chunk, progress, cancel);
                progress.BytesRead = progress.TotalBytes;
                await AnalyseAsync(connection);
                // Declared dead meanwhile (this node went silent, and the duty leader failed the
                // import): its rows must go, whatever was inserted since.
                if (!await FinishAsync(connection, importId, projectId, progress, ImportStatus.Succeeded))
                    await DiscardAsync(connection, importId);
            }
            else await FailAsync(connection, importId, projectId, progress);
        }
        catch (Exception e)
        {
            log.ImportFailed(e, importId);
            lock (progress.Errors) progress.Errors.Add(new LineError(progress.LinesRead, "(file)", "the import stopped: " + e.Message));
            await using var connection = await database.OpenAsync(CancellationToken.None);
            await FailAsync(connection, importId, projectId, progress);
        }
        finally
        {
            _running.TryRemove(importId, out _);
        }
        return progress;
    }

    async Task InsertAsync(DbConnection connection, long importId, int projectId, List<ItemRow> chunk,
        ImportProgress progress, CancellationToken cancel)
    {
        if (chunk.Count == 0) return;
        var now = Sql.Millis(clock.GetUtcNow());
        if (connection is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, importId, projectId, chunk, progress, now, cancel);
            chunk.Clear();
            return;
        }
        await using var transaction = await connection.BeginTransactionAsync(cancel);
        await using var insert = connection.Command(ItemsSql.InsertItemOnSqlite, transaction);
        var parameters = new[] { "p", "e", "d", "g", "s", "l", "c", "pd", "m", "sen", "ca", "imp", "now" }
            .Select(n => { var p = insert.CreateParameter(); p.ParameterName = n; insert.Parameters.Add(p); return p; })
            .ToArray();
        parameters[0].Value = projectId;
        parameters[11].Value = importId;
        parameters[12].Value = now;
        // Typed placeholders let the statement be prepared once and reused for every row.
        parameters[1].Value = ""; parameters[2].Value = ""; parameters[3].Value = ""; parameters[4].Value = "";
        parameters[5].Value = ""; parameters[6].Value = ""; parameters[7].Value = false; parameters[8].Value = false;
        parameters[9].Value = ""; parameters[10].Value = 0L;
        await insert.PrepareAsync(cancel);
        foreach (var row in chunk)
        {
            parameters[1].Value = row.ExternalId;
            parameters[2].Value = row.Data;
            parameters[3].Value = (object?)row.Gold ?? DBNull.Value;
            parameters[4].Value = row.Source;
            parameters[5].Value = row.Licence;
            parameters[6].Value = row.ConsentBasis;
            parameters[7].Value = row.PersonalData;
            parameters[8].Value = row.Minors;
            parameters[9].Value = row.Sensitivity;
            parameters[10].Value = row.CollectedAt is { } t ? Sql.Millis(t) : DBNull.Value;
            // Synchronous on purpose: a task per row costs more than SQLite's insert itself.
            if (insert.ExecuteNonQuery() == 1) progress.Inserted++;
            else progress.Duplicates++;
        }
        await transaction.CommitAsync(cancel);
        chunk.Clear();
    }

    /// PostgreSQL: row-by-row inserts cost a round trip each; COPY the chunk into a temporary table
    /// and insert it with one statement, in file order, skipping ids the project already has.
    static async Task CopyAsync(NpgsqlConnection connection, long importId, int projectId, List<ItemRow> chunk,
        ImportProgress progress, long now, CancellationToken cancel)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancel);
        await connection.ExecuteAsync(transaction, ItemsSql.ImportRowsOnPostgres);
        await using (var copy = await connection.BeginBinaryImportAsync(ItemsSql.CopyImportRowsOnPostgres, cancel))
        {
            for (var n = 0; n < chunk.Count; n++)
            {
                var row = chunk[n];
                await copy.StartRowAsync(cancel);
                await copy.WriteAsync(n, NpgsqlDbType.Integer, cancel);
                await copy.WriteAsync(row.ExternalId, NpgsqlDbType.Text, cancel);
                await copy.WriteAsync(row.Data, NpgsqlDbType.Text, cancel);
                if (row.Gold is null) await copy.WriteNullAsync(cancel); else await copy.WriteAsync(row.Gold, NpgsqlDbType.Text, cancel);
                await copy.WriteAsync(row.Source, NpgsqlDbType.Text, cancel);
                await copy.WriteAsync(row.Licence, NpgsqlDbType.Text, cancel);
                await copy.WriteAsync(row.ConsentBasis, NpgsqlDbType.Text, cancel);
                await copy.WriteAsync(row.PersonalData, NpgsqlDbType.Boolean, cancel);
                await copy.WriteAsync(row.Minors, NpgsqlDbType.Boolean, cancel);
                await copy.WriteAsync(row.Sensitivity, NpgsqlDbType.Text, cancel);
                if (row.CollectedAt is { } t) await copy.WriteAsync(Sql.Millis(t), NpgsqlDbType.Bigint, cancel);
                else await copy.WriteNullAsync(cancel);
            }
            await copy.CompleteAsync(cancel);
        }
        var inserted = await connection.ExecuteAsync(transaction, ItemsSql.InsertImportRowsOnPostgres,
            ("p", projectId), ("imp", importId), ("now", now));
        await transaction.CommitAsync(cancel);
        progress.Inserted += inserted;
        progress.Duplicates += chunk.Count - inserted;
    }

    /// Removes the import's rows and records it failed: with nothing stored, it reports nothing
    /// inserted and no duplicates, whatever the chunks had counted before the first error.
    async Task FailAsync(DbConnection connection, long importId, int projectId, ImportProgress progress)
    {
        await DiscardAsync(connection, importId);
        progress.Inserted = 0;
        progress.Duplicates = 0;
        await FinishAsync(connection, importId, projectId, progress, ImportStatus.Failed);
    }

    static Task DiscardAsync(DbConnection connection, long importId) =>
        connection.ExecuteAsync(null, "DELETE FROM items WHERE import_id = @i", ("i", importId));

    /// PostgreSQL: brings the planner's statistics of items up to date before the new items become
    /// visible. Imports are what change them; autovacuum is told not to re-analyse items for the
    /// work loop's counter updates alone (migration ItemsAnalyzedByImports), which cost a two-second
    /// ANALYZE of the whole table every minute under load. SQLite plans without statistics.
    /// On PostgreSQL, vacuums and analyses items once the import's rows are in. Analysed: imports
    /// are what changes what the planner needs to know of items (autovacuum leaves that to them).
    /// Vacuumed now: otherwise the rows just inserted bring autovacuum to the table a minute later,
    /// under the taskers' load, to scan every new page and set its visibility (on 1,000,000 items,
    /// 8 s of work in the middle of a benchmark's load); here it is part of the import.
    async Task AnalyseAsync(DbConnection connection)
    {
        if (connection is NpgsqlConnection) await connection.ExecuteAsync(null, ItemsSql.AnalyseOnPostgres);
    }

    /// Records the end of a running import; false, changing nothing, if it had already ended.
    async Task<bool> FinishAsync(DbConnection connection, long importId, int projectId, ImportProgress progress, string status)
    {
        string errors;
        lock (progress.Errors) errors = JsonSerializer.Serialize(progress.Errors, JsonSerializerOptions.Web);
        var now = Sql.Millis(clock.GetUtcNow());
        await using var transaction = await connection.BeginTransactionAsync();
        var ended = await connection.ExecuteAsync(transaction,
            "UPDATE imports SET status = @s, lines_read = @l, inserted = @ins, duplicates = @d, bytes_read = @b, " +
            "total_bytes = @t, errors = @e, finished_at = @now WHERE id = @id AND status = 'running'",
            ("s", status), ("l", progress.LinesRead), ("ins", progress.Inserted), ("d", progress.Duplicates),
            ("b", progress.BytesRead), ("t", progress.TotalBytes), ("e", errors), ("now", now), ("id", importId));
        if (ended == 0) return false;
        await connection.ExecuteAsync(transaction,
            "INSERT INTO events (at, kind, project_id, data) VALUES (@now, @k, @p, @d)",
            ("now", now), ("k", "import." + status), ("p", projectId),
            ("d", JsonSerializer.Serialize(new { importId, progress.Inserted, progress.Duplicates, errorCount = progress.Errors.Count })));
        await transaction.CommitAsync();
        // Only now, when the items are visible to every reader, are they announced.
        if (status == ImportStatus.Succeeded) projects.ItemsAdded(projectId);
        metrics.Ended(status, progress.Inserted);
        progress.Status = status;
        return true;
    }

    /// Tells every node that this node's imports are still running, and how far they are (an
    /// import's progress is otherwise only in the memory of the node running it).
    public async Task KeepAliveAsync()
    {
        if (_running.IsEmpty) return;
        var now = Sql.Millis(clock.GetUtcNow());
        await using var connection = await database.OpenAsync();
        foreach (var (id, p) in _running)
            await connection.ExecuteAsync(null,
                "UPDATE imports SET alive_at = @now, lines_read = @l, inserted = @ins, duplicates = @d, bytes_read = @b, " +
                "total_bytes = @t WHERE id = @id AND status = 'running'",
                ("now", now), ("l", p.LinesRead), ("ins", p.Inserted), ("d", p.Duplicates), ("b", p.BytesRead),
                ("t", p.TotalBytes), ("id", id));
    }

    /// Fails the running imports that no node has kept alive for <paramref name="silentFor"/>: the
    /// node running them stopped, so they can never finish. Their rows go, and the requester is
    /// told to import the file again. Run by the duty leader; at start on SQLite (one process)
    /// with zero, since any import still running then was this process's.
    public async Task<int> FailSilentImportsAsync(TimeSpan silentFor)
    {
        var before = Sql.Millis(clock.GetUtcNow() - silentFor);
        await using var connection = await database.OpenAsync();
        var silent = new List<(long Id, int Project)>();
        await using (var command = connection.Command(
            "SELECT id, project_id FROM imports WHERE status = 'running' AND coalesce(alive_at, started_at) <= @before")
            .With("before", before))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) silent.Add((reader.GetInt64(0), reader.GetInt32(1)));
        var failed = 0;
        foreach (var (id, project) in silent)
        {
            if (_running.ContainsKey(id)) continue;
            var progress = new ImportProgress();
            progress.Errors.Add(new LineError(0, "(file)", "the server running the import stopped; import the file again"));
            // Failed first, then its rows: from the moment it is failed, its node (if it was only
            // slow) discards them itself when it finishes.
            if (!await FinishAsync(connection, id, project, progress, ImportStatus.Failed)) continue;
            await DiscardAsync(connection, id);
            log.SilentImportFailed(id, silentFor.TotalSeconds);
            failed++;
        }
        return failed;
    }
}

/// Keeps this node's imports alive every few seconds and, on the node that leads the background
/// duties, fails imports whose node has gone.
public sealed class ImportWatch(ItemImporter importer, Infrastructure.DutyLeader leader, ILogger<ImportWatch> log)
    : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan SilentAfter = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                await importer.KeepAliveAsync();
                if (await leader.TryLeadAsync()) await importer.FailSilentImportsAsync(SilentAfter);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                log.ImportWatchFailed(e);
            }
        }
    }
}
