using System.Collections.Concurrent;
using Fairlabel.Data;
using Fairlabel.Projects;

namespace Fairlabel.Work;

/// What the work loop needs to know of a project, read fresh at most once a second so that a
/// change made on another node (pay, overlap, status) is seen promptly.
public sealed record ProjectRules(
    int Id, int OrganisationId, string Name, string Status, int Overlap, decimal PayPerTask, string Currency,
    int LeaseSeconds, long UpdatedAt, TaskTemplate Template)
{
    /// Who may work on the project; the same instance while its row is unchanged.
    public Audiences.Audience Audience { get; init; } = Audiences.Audience.Everyone;
    public long AudienceUpdatedAt { get; init; }
}

public sealed class ProjectRulesCache(DatabaseSettings database, TimeProvider clock)
{
    static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);
    readonly ConcurrentDictionary<int, (ProjectRules? Rules, DateTimeOffset ReadAt)> _cache = new();

    public async Task<ProjectRules?> GetAsync(int projectId)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(projectId, out var cached) && now - cached.ReadAt < Freshness) return cached.Rules;
        var rules = await ReadAsync(projectId, cached.Rules);
        _cache[projectId] = (rules, now);
        return rules;
    }

    public void Forget(int projectId) => _cache.TryRemove(projectId, out _);

    async Task<ProjectRules?> ReadAsync(int projectId, ProjectRules? previous)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "SELECT organisation_id, name, status, overlap, pay_per_task, currency, lease_seconds, updated_at, template " +
            "FROM projects WHERE id = @id").With("id", projectId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        var updatedAt = reader.GetInt64(7);
        // Parsing the template is the costly part; skip it when the project has not changed.
        var template = previous is not null && previous.UpdatedAt == updatedAt
            ? previous.Template
            : TemplateParser.ParseStored(reader.GetString(8));
        var rules = new ProjectRules(projectId, reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
            reader.GetInt32(3), reader.GetDecimal(4), reader.GetString(5), reader.GetInt32(6), updatedAt, template);
        await reader.CloseAsync();
        return await WithAudienceAsync(connection, rules, previous);
    }

    /// The project's audience (everyone, without a row), the previous instance kept while unchanged
    /// so that what each tasker's eligibility was computed from stays the same.
    static async Task<ProjectRules> WithAudienceAsync(System.Data.Common.DbConnection connection, ProjectRules rules, ProjectRules? previous)
    {
        await using var command = connection.Command(
            "SELECT country_mode, countries, languages, expertise, daily_exposure_cap, updated_at " +
            "FROM project_audiences WHERE project_id = @id").With("id", rules.Id);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return rules;
        var updatedAt = reader.GetInt64(5);
        if (previous is not null && previous.AudienceUpdatedAt == updatedAt)
            return rules with { Audience = previous.Audience, AudienceUpdatedAt = updatedAt };
        var audience = new Audiences.Audience(reader.GetString(0), Audiences.TaskerProfilesCache.ListAt(reader, 1),
            Audiences.TaskerProfilesCache.ListAt(reader, 2), Audiences.TaskerProfilesCache.ListAt(reader, 3),
            reader.IsDBNull(4) ? null : reader.GetInt32(4));
        return rules with { Audience = audience, AudienceUpdatedAt = updatedAt };
    }
}
