using System.Collections.Concurrent;
using Fairlabel.Audiences;
using Microsoft.Extensions.Options;

namespace Fairlabel.Work;

/// Where the hand-out meets the rules (<see cref="WhoGetsWhat"/>): for each tasker and project,
/// whether the tasker may work on it and which of the task pool's pools they may draw from,
/// computed again only when the project's audience, the tasker's profile, the pool, or the
/// tasker's exposure today changed: a request whose inputs are unchanged computes nothing.
public sealed class HandOutRules(TaskerProfilesCache profiles, IOptions<AudienceOptions> options)
{
    readonly ConcurrentDictionary<(int Project, int Tasker), TaskerDraw> _draws = new();

    /// The rule that keeps the tasker from the project, or null.
    public async ValueTask<Refusal?> RefusesAsync(ProjectRules rules, int taskerId)
    {
        var (facts, _) = await profiles.GetAsync(taskerId);
        var draw = _draws.GetOrAdd((rules.Id, taskerId), _ => new TaskerDraw());
        return draw.RefusalFor(rules.Audience, facts);
    }

    /// What the tasker may draw from the project's pools now.
    public async ValueTask<TaskerDraw> DrawAsync(ProjectRules rules, int taskerId)
    {
        var (facts, exposure) = await profiles.GetAsync(taskerId);
        var draw = _draws.GetOrAdd((rules.Id, taskerId), _ => new TaskerDraw());
        draw.Update(rules.Audience, facts, exposure, WhoGetsWhat.DailyCap(options.Value.DailyExposureCap, rules.Audience));
        return draw;
    }
}

/// One tasker's draw from one project's task pool. The pool never sees more than which of its
/// pools (by position) the tasker may draw from.
public sealed class TaskerDraw
{
    Audience? _audience;
    TaskerFacts? _facts;
    Refusal? _refusal;
    TaskPool? _pool;
    TaskerExposure? _exposure;
    int _cap;
    int _exposureVersion = -1;
    bool[]? _pools;
    string[][] _categories = [];

    public Refusal? RefusalFor(Audience audience, TaskerFacts facts)
    {
        lock (this)
        {
            if (!ReferenceEquals(audience, _audience) || !ReferenceEquals(facts, _facts))
            {
                _refusal = WhoGetsWhat.Refuses(facts, audience);
                _audience = audience;
                _facts = facts;
                _exposureVersion = -1;
            }
            return _refusal;
        }
    }

    internal void Update(Audience audience, TaskerFacts facts, TaskerExposure exposure, int cap)
    {
        RefusalFor(audience, facts);
        lock (this)
        {
            if (ReferenceEquals(exposure, _exposure) && cap == _cap) return;
            _exposure = exposure;
            _cap = cap;
            _exposureVersion = -1;
        }
    }

    static bool OnePool(TaskPool pool) => pool.PoolKeys.Count == 1 && pool.PoolKeys[0].Length == 0;

    /// The pools of <paramref name="pool"/> the tasker may draw from now (null: every one, the
    /// pool has no other); a hint outside <see cref="Reserve"/>, which decides.
    public bool[]? PoolsOf(TaskPool pool)
    {
        if (OnePool(pool)) return null;
        lock (_exposure!) return PoolsUnderLock(pool);
    }

    bool[] PoolsUnderLock(TaskPool pool)
    {
        lock (this)
        {
            if (!ReferenceEquals(pool, _pool))
            {
                _pool = pool;
                _categories = pool.PoolKeys.Select(WhoGetsWhat.CategoriesOf).ToArray();
                _exposureVersion = -1;
            }
            if (_pools is null || _exposureVersion != _exposure!.Version)
            {
                _pools = WhoGetsWhat.Pools(_facts!, pool.PoolKeys, _exposure!.HandedToday, _cap);
                _exposureVersion = _exposure.Version;
            }
            return _pools;
        }
    }

    /// Takes a slot for the tasker, only from pools they may draw from, and counts its categories
    /// toward the tasker's exposure today. Under the exposure's lock: two requests of one tasker
    /// (on any of their projects) cannot both take the last item the cap allows.
    public (long ItemId, string Data, int Pool)? Reserve(TaskPool pool, int taskerId, long now)
    {
        // No item of the pool has a category: nothing to decide, nothing to count.
        if (OnePool(pool)) return pool.ReserveHeld(taskerId, now);
        lock (_exposure!)
        {
            var may = PoolsUnderLock(pool);
            var reserved = pool.ReserveHeld(taskerId, now, may);
            if (reserved is { } r && _categories[r.Pool].Length > 0) _exposure.Handed(_categories[r.Pool], now);
            return reserved;
        }
    }
}
