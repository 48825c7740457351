using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using Fairlabel.Data;

namespace Fairlabel.Audiences;

/// Taskers' profiles as the rules read them, and what each was handed today per sensitivity
/// category, read at most once a second per tasker: a profile changed on another node (an opt-in
/// withdrawn) reaches this node's hand-outs within a second, and on this node at once
/// (<see cref="Forget"/>). On SQLite, the one node, every change goes through <see cref="Forget"/>
/// and every hand-out through this node's count, so a tasker is read once a day, and on a change. The same <see cref="TaskerFacts"/> instance is kept while the profile
/// is unchanged, so what was computed from it stays valid.
public sealed class TaskerProfilesCache(DatabaseSettings database, TimeProvider clock)
{
    readonly TimeSpan _freshness = database.IsSqlite ? TimeSpan.FromDays(1) : TimeSpan.FromSeconds(1);
    readonly ConcurrentDictionary<int, Known> _known = new();

    sealed class Known(TaskerFacts facts, DateTimeOffset readAt, string signature)
    {
        public TaskerFacts Facts = facts;
        public DateTimeOffset ReadAt = readAt;
        public volatile bool Changed;
        public string Signature = signature;
        public readonly TaskerExposure Exposure = new();
    }

    /// The tasker's facts and exposure, read again when older than a second.
    public async ValueTask<(TaskerFacts Facts, TaskerExposure Exposure)> GetAsync(int taskerId)
    {
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(taskerId, out var known) && !known.Changed && now - known.ReadAt < _freshness &&
            known.Exposure.Day == DayOf(now)) return (known.Facts, known.Exposure);
        if (known is not null) known.Changed = false;
        var (facts, signature) = await ReadAsync(taskerId);
        known ??= _known.GetOrAdd(taskerId, _ => new Known(facts, now, signature));
        if (known.Signature != signature)
        {
            known.Facts = facts;
            known.Signature = signature;
        }
        // Only a tasker who accepts some category can have been handed one.
        var exposure = known.Facts.OptIns.Count == 0 ? [] : await ReadExposureAsync(taskerId, DayOf(now));
        known.Exposure.Reset(DayOf(now), exposure, now.UtcTicks);
        known.ReadAt = now;
        return (known.Facts, known.Exposure);
    }

    public void Forget(int taskerId)
    {
        if (_known.TryGetValue(taskerId, out var known)) known.Changed = true;
    }

    static long DayOf(DateTimeOffset t) => t.UtcTicks / TimeSpan.TicksPerDay;

    async Task<(TaskerFacts, string)> ReadAsync(int taskerId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "SELECT u.country, u.languages, u.expertise, p.sensitivity_opt_ins FROM users u " +
            "LEFT JOIN tasker_profiles p ON p.user_id = u.id WHERE u.id = @t").With("t", taskerId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return (new TaskerFacts(taskerId, null, [], [], []), "");
        var facts = new TaskerFacts(taskerId, reader.IsDBNull(0) ? null : reader.GetString(0),
            ListAt(reader, 1), ListAt(reader, 2), ListAt(reader, 3));
        var signature = $"{facts.Country}|{string.Join(',', facts.Languages)}|{string.Join(',', facts.Expertise)}|{string.Join(',', facts.OptIns)}";
        return (facts, signature);
    }

    /// A list column: JSON text on SQLite, an array on PostgreSQL.
    internal static string[] ListAt(DbDataReader reader, int i) =>
        reader.IsDBNull(i) ? [] : reader.GetValue(i) switch
        {
            string[] list => list,
            string json => JsonSerializer.Deserialize<string[]>(json) ?? [],
            _ => [],
        };

    /// Items of each category the tasker was handed today, skipped and expired ones too: an item
    /// seen is seen. Read through the index of a tasker's assignments.
    async Task<Dictionary<string, int>> ReadExposureAsync(int taskerId, long day)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "SELECT i.sensitivity, count(*) FROM assignments a JOIN items i ON i.id = a.item_id " +
            "WHERE a.tasker_id = @t AND a.leased_at >= @day AND i.sensitivity <> '' GROUP BY i.sensitivity")
            .With("t", taskerId).With("day", new DateTimeOffset(day * TimeSpan.TicksPerDay, TimeSpan.Zero).ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            foreach (var category in SensitivityCategories.Of(reader.GetString(0)))
                counts[category] = counts.GetValueOrDefault(category) + (int)reader.GetInt64(1);
        return counts;
    }
}

/// What one tasker was handed today per sensitivity category: as last read from the database,
/// plus what this node handed out since a second before that read (those may be counted twice,
/// never missed: the cap is reached early rather than passed). Changed under its own lock, which
/// a hand-out holds while it draws, so two requests of one tasker cannot both take the last one.
public sealed class TaskerExposure
{
    readonly Dictionary<string, int> _read = new(StringComparer.Ordinal);
    readonly List<(long At, string[] Categories)> _handedHere = [];
    public long Day { get; private set; } = -1;
    /// Bumped whenever a count changes: pools computed under an older version are computed again.
    public int Version { get; private set; }

    public void Reset(long day, Dictionary<string, int> read, long readAtTicks)
    {
        lock (this)
        {
            if (day != Day) _handedHere.Clear();
            Day = day;
            _read.Clear();
            foreach (var (c, n) in read) _read[c] = n;
            _handedHere.RemoveAll(h => h.At < readAtTicks - TimeSpan.TicksPerSecond);
            Version++;
        }
    }

    /// Call under the lock.
    public int HandedToday(string category)
    {
        var n = _read.GetValueOrDefault(category);
        foreach (var (_, categories) in _handedHere)
            if (Array.IndexOf(categories, category) >= 0) n++;
        return n;
    }

    /// Call under the lock.
    public void Handed(string[] categories, long atTicks)
    {
        _handedHere.Add((atTicks, categories));
        Version++;
    }
}
