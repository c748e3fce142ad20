using System.Collections.Immutable;
using System.Globalization;
using ClaimGraph.Graph;
using ClaimGraph.Oracles.Policy;
using ClaimGraph.Policy;
using FsCheck;
using FsCheck.Fluent;

namespace ClaimGraph.Properties.Policy;

/// <summary>Which run an event names: one of the active, waiting or all runs (by index, wrapping), or a fixed id.</summary>
internal enum RunPick
{
    Active,
    Waiting,
    Any,
    Named,
}

/// <summary>Which fencing token an event carries: the run's, the one before, or one never issued.</summary>
internal enum TokenPick
{
    Current,
    Stale,
    Wrong,
}

internal sealed record RunRef(RunPick Pick, int Index)
{
    public override string ToString() => $"{Pick}[{Index}]";
}

/// <summary>A claim line: mode 0 write, 1 append, 2 read, 3 exclusion; a pattern of <see cref="PolicyScript.Patterns"/>.</summary>
internal sealed record ClaimLine(int Mode, int Pattern)
{
    public string Text => (Mode switch { 0 => "write ", 1 => "append ", 2 => "read ", _ => "!" }) + PolicyScript.Patterns[Pattern];

    public override string ToString() => Text;
}

/// <summary>An event before it meets a state: ids are indexes into the small universe, runs and tokens are picks.</summary>
internal abstract record Op;

internal sealed record AddItemOp(int Item, int[] Deps, int Labels, int Priority) : Op
{
    public override string ToString() => $"AddItem {PolicyScript.Items[Item]} deps [{string.Join(",", Deps)}] labels {Labels} priority {Priority}";
}

internal sealed record ChangeItemOp(int Item, int? Labels, int? Priority) : Op;

internal sealed record CloseItemOp(int Item, bool Abandoned) : Op;

internal sealed record ReopenItemOp(int Item) : Op;

internal sealed record AddDependencyOp(int Item, int Dependency) : Op;

internal sealed record RemoveDependencyOp(int Item, int Dependency) : Op;

/// <summary>A run request; with <paramref name="FreeItem"/> the item is the <paramref name="Item"/>-th open item without a live run, if any.</summary>
internal sealed record RequestOp(int Run, int Item, ClaimLine[] Claims, int Priority, bool FreeItem = false, int Assume = 0) : Op
{
    public override string ToString() =>
        $"Request {PolicyScript.RunIds[Run]} for {(FreeItem ? "free #" + Item : PolicyScript.Items[Item])} [{string.Join("; ", Claims.Select(c => c.Text))}] priority {Priority} assume {Assume}";
}

internal sealed record HeartbeatOp(RunRef Run, TokenPick Token) : Op;

internal sealed record SucceedOp(RunRef Run, TokenPick Token, int BaseStep, int[] Paths, bool Continues) : Op
{
    public override string ToString() => $"Succeed {Run} token {Token} base {BaseStep:+0;-0;0} paths [{string.Join(",", Paths)}] continues {Continues}";
}

internal sealed record FailOp(RunRef Run, TokenPick Token, bool Transient) : Op;

internal sealed record CancelOp(RunRef Run) : Op;

internal sealed record AmendOp(RunRef Run, TokenPick Token, ClaimLine[] Claims) : Op
{
    public override string ToString() => $"Amend {Run} token {Token} [{string.Join("; ", Claims.Select(c => c.Text))}]";
}

internal sealed record AdvanceOp(int BaseStep, int[] Paths) : Op
{
    public override string ToString() => $"AdvanceBase {BaseStep:+0;-0;0} paths [{string.Join(",", Paths)}]";
}

/// <summary>A named base (<see cref="PolicyScript.Bases"/>) moves to revision <c>v{Revision}</c>.</summary>
internal sealed record NamedBaseOp(int Base, int Revision, int[] Paths) : Op
{
    public override string ToString() => $"NamedBase {PolicyScript.Bases[Base]} v{Revision} paths [{string.Join(",", Paths)}]";
}

/// <summary>A resource (<see cref="PolicyScript.Resources"/>) changes to version <c>v{Version}</c>.</summary>
internal sealed record ResourceOp(int Resource, int Version) : Op;

internal sealed record TickOp : Op;

internal sealed record RecoverOp(int AliveMask) : Op;

/// <summary>Sends an earlier event again (same id).</summary>
internal sealed record RepeatOp(int Back) : Op;

/// <summary>A malformed event: null, no id, null or empty fields, an unknown event type, absurd times.</summary>
internal sealed record GarbageOp(int Kind) : Op;

/// <summary>An event type the policy does not know.</summary>
internal sealed record BogusEvent(string EventId, long Time) : PolicyEvent(EventId, Time);

internal sealed record ScriptStep(Op Op, int TimeStep)
{
    public override string ToString() => $"{Op} +t{PolicyScript.TimeSteps[TimeStep]}";
}

/// <summary>A random event sequence with the options it runs under.</summary>
internal sealed record PolicyScript(int OptionsIndex, ScriptStep[] Steps)
{
    public static readonly string[] Items = ["a", "b", "c", "d"];
    public static readonly string[] RunIds = ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "a#2"];
    public static readonly string[] Labels = ["ui", "db"];

    /// <summary>Claim patterns; the last one does not parse.</summary>
    public static readonly string[] Patterns = ["src/**", "src/a/**", "docs/**", "*.md", "src/a/x.cs", "CHANGELOG.md", "artifact:build/**", "src/**.cs"];

    /// <summary>Changed paths; the last one is not a valid path.</summary>
    public static readonly string[] Paths = ["src/a/x.cs", "src/b/y.cs", "docs/guide.md", "README.md", "CHANGELOG.md", "artifact:build/app.dll", "a//b"];

    /// <summary>Named bases runs may assume (an empty name is invalid).</summary>
    public static readonly string[] Bases = ["main", "release/1.2", ""];

    /// <summary>Resources runs may assume; the last one is not a valid resource.</summary>
    public static readonly string[] Resources = ["schema:billing", "artifact:build/app.dll", "a//b"];

    /// <summary>How far the clock moves before an event; the last step goes back in time.</summary>
    public static readonly long[] TimeSteps = [0, 1, 1_000, 10_000, 15_000, 40_000, 61_000, 400_000, -5_000];

    private static readonly PolicyOptions Strict = PolicyOptions.Default with { Reservation = ReservationMode.Strict };

    private static readonly ImmutableSortedDictionary<string, int> UiLimit =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, int>("ui", 1)]);

    /// <summary>The default (backfill, budget 64), strict reservation with other settings, and backfill with small budgets.</summary>
    public static readonly PolicyOptions[] Options =
    [
        PolicyOptions.Default,
        Strict,
        Strict with { MaxActiveRuns = 2, MaxActivePerLabel = UiLimit },
        Strict with { MaxAttempts = 1, LeaseDuration = null },
        Strict with { MaxAttempts = 2, LeaseDuration = 20_000, BackoffBase = 1_000, BackoffCap = 4_000, JitterFraction = 0.5 },
        Strict with { MaxActiveRuns = 1, JitterFraction = 0, MaxAttempts = 4 },
        PolicyOptions.Default with { BypassBudget = 1 },
        PolicyOptions.Default with { BypassBudget = 2 },
        PolicyOptions.Default with { BypassBudget = 0 },
        PolicyOptions.Default with { BypassBudget = 3, MaxActiveRuns = 2, MaxActivePerLabel = UiLimit },
        PolicyOptions.Default with { BypassBudget = 1, MaxAttempts = 2, LeaseDuration = 20_000, BackoffBase = 1_000, BackoffCap = 4_000 },
        PolicyOptions.Default with { BypassBudget = 2, MaxActiveRuns = 1, JitterFraction = 0, MaxAttempts = 4 },
    ];

    public PolicyOptions PolicyOptions => Options[OptionsIndex];

    public override string ToString() =>
        $"options #{OptionsIndex}, {Steps.Length} steps:\n  " + string.Join("\n  ", Steps.Select(s => s.ToString()));

    // ------------------------------------------------------------------ generators

    private static Gen<int> Index(int count) => Gen.Choose(0, count - 1);

    private static Gen<ClaimLine> ClaimGen(bool exclusions) =>
        from mode in Gen.Frequency((5, Gen.Constant(0)), (2, Gen.Constant(1)), (3, Gen.Constant(2)), (exclusions ? 1 : 0, Gen.Constant(3)))
        from pattern in Gen.Frequency((30, Index(Patterns.Length - 1)), (1, Gen.Constant(Patterns.Length - 1)))
        select new ClaimLine(mode, pattern);

    private static Gen<RunRef> RunRefGen =>
        from pick in Gen.Frequency((12, Gen.Constant(RunPick.Active)), (3, Gen.Constant(RunPick.Waiting)), (2, Gen.Constant(RunPick.Any)), (1, Gen.Constant(RunPick.Named)))
        from index in Gen.Choose(0, 5)
        select new RunRef(pick, index);

    private static Gen<TokenPick> TokenGen =>
        Gen.Frequency((16, Gen.Constant(TokenPick.Current)), (1, Gen.Constant(TokenPick.Stale)), (1, Gen.Constant(TokenPick.Wrong)));

    private static Gen<int[]> PathsGen =>
        from n in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Constant(1)), (2, Gen.Constant(2)))
        from paths in Gen.Frequency((25, Index(Paths.Length - 1)), (1, Gen.Constant(Paths.Length - 1))).ArrayOf(n)
        select paths;

    private static Gen<int> BaseStepGen => Gen.Frequency((8, Gen.Constant(1)), (2, Gen.Constant(0)), (1, Gen.Constant(-1)));

    private static Gen<Op> AddItemGen(Gen<int> item) =>
        from i in item
        from deps in Gen.Frequency((8, Gen.Constant(0)), (3, Gen.Constant(1)), (1, Gen.Constant(2)))
            .SelectMany(n => Gen.Frequency((8, Index(Items.Length)), (1, Gen.Constant(Items.Length))).ArrayOf(n))
        from labels in Gen.Choose(0, 3)
        from priority in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Constant(1)))
        select (Op)new AddItemOp(i, deps, labels, priority);

    private static Gen<Op> OpGen(int garbageWeight)
    {
        Gen<int> item = Index(Items.Length);
        return Gen.Frequency<Op>(
            (2, AddItemGen(item)),
            (1, from i in item
                from labels in Gen.Choose(0, 4)
                from priority in Gen.Choose(0, 2)
                select (Op)new ChangeItemOp(i, labels == 4 ? null : labels, priority == 2 ? null : priority)),
            (2, from i in item from abandoned in Gen.Elements(true, false) select (Op)new CloseItemOp(i, abandoned)),
            (1, item.Select(i => (Op)new ReopenItemOp(i))),
            (2, from i in item from d in Index(Items.Length + 1) select (Op)new AddDependencyOp(i, d)),
            (1, from i in item from d in Index(Items.Length + 1) select (Op)new RemoveDependencyOp(i, d)),
            (14, from run in Index(RunIds.Length)
                 from i in item
                 from n in Gen.Frequency((1, Gen.Constant(0)), (8, Gen.Constant(1)), (4, Gen.Constant(2)), (1, Gen.Constant(3)))
                 from claims in ClaimGen(exclusions: true).ArrayOf(n)
                 from priority in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(-1)))
                 from free in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
                 from assume in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(1, 35)))
                 select (Op)new RequestOp(run, i, claims, priority, free, assume)),
            (2, from r in RunRefGen from t in TokenGen select (Op)new HeartbeatOp(r, t)),
            (8, from r in RunRefGen
                from t in TokenGen
                from b in BaseStepGen
                from paths in PathsGen
                from continues in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
                select (Op)new SucceedOp(r, t, b, paths, continues)),
            (4, from r in RunRefGen from t in TokenGen from transient in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false))) select (Op)new FailOp(r, t, transient)),
            (2, RunRefGen.Select(r => (Op)new CancelOp(r))),
            (2, from r in RunRefGen
                from t in TokenGen
                from n in Gen.Frequency((1, Gen.Constant(0)), (8, Gen.Constant(1)), (2, Gen.Constant(2)))
                from claims in ClaimGen(exclusions: true).ArrayOf(n)
                select (Op)new AmendOp(r, t, claims)),
            (2, from b in BaseStepGen from paths in PathsGen select (Op)new AdvanceOp(b, paths)),
            (3, from b in Gen.Frequency((8, Index(Bases.Length - 1)), (1, Gen.Constant(Bases.Length - 1)))
                from v in Gen.Choose(0, 2)
                from paths in PathsGen
                select (Op)new NamedBaseOp(b, v, paths)),
            (2, from r in Gen.Frequency((8, Index(Resources.Length - 1)), (1, Gen.Constant(Resources.Length - 1)))
                from v in Gen.Choose(0, 2)
                select (Op)new ResourceOp(r, v)),
            (4, Gen.Constant((Op)new TickOp())),
            (2, Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Choose(0, 255))).Select(m => (Op)new RecoverOp(m))),
            (1, Gen.Choose(0, 10).Select(b => (Op)new RepeatOp(b))),
            (garbageWeight, Gen.Choose(0, GarbageKinds - 1).Select(k => (Op)new GarbageOp(k))));
    }

    public const int GarbageKinds = 19;

    private static Gen<ScriptStep> StepGen(int garbageWeight, bool backInTime) =>
        from op in OpGen(garbageWeight)
        from t in Gen.Frequency((8, Gen.Constant(0)), (5, Gen.Choose(1, 3)), (2, Gen.Choose(3, 7)), (backInTime ? 2 : 0, Gen.Constant(TimeSteps.Length - 1)))
        select new ScriptStep(op, t);

    /// <summary>A chain of dependencies: a on b, b on c, c on d.</summary>
    private static readonly Op?[] Chain = [.. Enumerable.Range(0, Items.Length).Select(i => (Op?)new AddItemOp(i, i + 1 < Items.Length ? [i + 1] : [], 0, 0))];

    /// <summary>Most items are added first (so that most events meet a state they can change), then random steps.</summary>
    public static Gen<PolicyScript> ScriptGen(int maxSteps, int garbageWeight, bool backInTime, Gen<int>? optionsGen = null) =>
        from options in optionsGen ?? Gen.Frequency((2, Gen.Constant(0)), (2, Gen.Choose(1, 5)), (2, Gen.Choose(6, Options.Length - 1)))
        from prelude in Gen.Frequency(
            (3, Gen.CollectToArray(Enumerable.Range(0, Items.Length), i =>
                Gen.Frequency((6, AddItemGen(Gen.Constant(i)).Select(op => (Op?)op)), (1, Gen.Constant((Op?)null))))),
            (1, Gen.Constant(Chain)))
        from n in Gen.Choose(1, maxSteps)
        from steps in StepGen(garbageWeight, backInTime).ArrayOf(n)
        select new PolicyScript(options, [.. prelude.OfType<Op>().Select(op => new ScriptStep(op, 0)), .. steps]);

    /// <summary>Scripts of up to <paramref name="maxSteps"/> events; the clock goes back now and then when <paramref name="backInTime"/>.</summary>
    public static Arbitrary<PolicyScript> Arbitrary(int maxSteps = 40, int garbageWeight = 1, bool backInTime = false, Gen<int>? optionsGen = null) =>
        Arb.From(ScriptGen(maxSteps, garbageWeight, backInTime, optionsGen), Shrink);

    /// <summary>The indexes of <see cref="Options"/> with backfill and a budget of 1 to 3 (budgets a short script can use up).</summary>
    public static Gen<int> SmallBudgetOptions =>
        Gen.Elements(Enumerable.Range(0, Options.Length).Where(i => Options[i].Reservation == ReservationMode.Backfill && Options[i].BypassBudget is >= 1 and <= 3).ToArray());

    /// <summary>Shorter scripts first (halves, then single steps dropped), then simpler steps, then default options.</summary>
    public static IEnumerable<PolicyScript> Shrink(PolicyScript s)
    {
        int n = s.Steps.Length;
        for (int chunk = n / 2; chunk >= 1; chunk /= 2)
        {
            for (int start = 0; start + chunk <= n; start += chunk)
            {
                yield return s with { Steps = [.. s.Steps[..start], .. s.Steps[(start + chunk)..]] };
            }
        }

        for (int i = 0; i < n; i++)
        {
            foreach (ScriptStep simpler in ShrinkStep(s.Steps[i]))
            {
                ScriptStep[] steps = [.. s.Steps];
                steps[i] = simpler;
                yield return s with { Steps = steps };
            }
        }

        if (s.OptionsIndex != 0)
        {
            yield return s with { OptionsIndex = 0 };
        }
    }

    private static IEnumerable<ScriptStep> ShrinkStep(ScriptStep step)
    {
        if (step.TimeStep != 0)
        {
            yield return step with { TimeStep = 0 };
        }

        switch (step.Op)
        {
            case RequestOp r when r.Claims.Length > 0 || r.Priority != 0 || r.Assume != 0:
                if (r.Assume != 0)
                {
                    yield return step with { Op = r with { Assume = 0 } };
                }

                if (r.Priority != 0)
                {
                    yield return step with { Op = r with { Priority = 0 } };
                }

                for (int i = 0; i < r.Claims.Length; i++)
                {
                    yield return step with { Op = r with { Claims = [.. r.Claims[..i], .. r.Claims[(i + 1)..]] } };
                }

                break;
            case AddItemOp a when a.Deps.Length > 0 || a.Labels != 0 || a.Priority != 0:
                yield return step with { Op = a with { Deps = [], Labels = 0, Priority = 0 } };
                break;
            case SucceedOp x when x.Paths.Length > 0 || x.Continues:
                yield return step with { Op = x with { Paths = [], Continues = false } };
                break;
            case AdvanceOp x when x.Paths.Length > 1:
                yield return step with { Op = x with { Paths = x.Paths[..1] } };
                break;
        }
    }

    // ------------------------------------------------------------------ materializing against a state

    /// <summary>
    /// Turns the script into events, step by step, reading run ids and tokens from <paramref name="state"/> (a reference
    /// policy that the caller advances with each event it gets). Event ids are <c>e1</c>, <c>e2</c>, ...
    /// </summary>
    public sealed class Materializer(PolicyScript script, ReferencePolicy state, bool extremeTimes = false)
    {
        private static readonly RunRef FirstActive = new(RunPick.Active, 0);
        private readonly List<PolicyEvent?> _log = [];
        private long _time;
        private long _base;

        public IReadOnlyList<PolicyEvent?> Log => _log;

        public PolicyEvent? Next(int index)
        {
            ScriptStep step = script.Steps[index];
            _time += TimeSteps[step.TimeStep];
            _base = state.BaseVersion;
            string id = "e" + (index + 1).ToString(CultureInfo.InvariantCulture);
            PolicyEvent? e = Make(step.Op, id, _time);
            _log.Add(e);
            return e;
        }

        private PolicyEvent? Make(Op op, string id, long t) => op switch
        {
            AddItemOp x => new WorkItemAdded(id, t, Items[x.Item])
            {
                DependsOn = [.. x.Deps.Select(ItemOrUnknown)],
                Labels = LabelSet(x.Labels),
                Priority = x.Priority,
            },
            ChangeItemOp x => new WorkItemChanged(id, t, Items[x.Item]) { Labels = x.Labels is int l ? LabelSet(l) : null, Priority = x.Priority },
            CloseItemOp x => new WorkItemClosed(id, t, Items[x.Item], x.Abandoned),
            ReopenItemOp x => new WorkItemReopened(id, t, Items[x.Item]),
            AddDependencyOp x => new DependencyAdded(id, t, Items[x.Item], ItemOrUnknown(x.Dependency)),
            RemoveDependencyOp x => new DependencyRemoved(id, t, Items[x.Item], ItemOrUnknown(x.Dependency)),
            RequestOp x => new RunRequested(id, t, RunIds[x.Run], x.FreeItem ? FreeItem(x.Item) : Items[x.Item], [.. x.Claims.Select(c => c.Text)])
            {
                Priority = x.Priority,
                Base = (x.Assume % 3) switch { 1 => "main", 2 => "release/1.2", _ => null },
                BaseRevision = x.Assume % 3 == 0 ? null : "v" + ((x.Assume / 3) % 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Assumes = ((x.Assume / 6) % 6) switch
                {
                    0 => default,
                    1 => ["schema:billing@v0"],
                    2 => ["schema:billing@v1", "artifact:build/app.dll@v0"],
                    3 => ["artifact:build/app.dll@v1"],
                    4 => ["artifact:build/app.dll@v0"],
                    _ => ["schema:billing@v1"],
                },
            },
            HeartbeatOp x => WithRun(x.Run, r => new RunHeartbeat(id, t, r, Token(r, x.Token))),
            SucceedOp x => WithRun(x.Run, r => new RunSucceeded(id, t, r, Token(r, x.Token), _base + x.BaseStep)
            {
                ChangedPaths = [.. x.Paths.Select(p => Paths[p])],
                WorkItemContinues = x.Continues,
            }),
            FailOp x => WithRun(x.Run, r => new RunFailed(id, t, r, Token(r, x.Token), x.Transient)),
            CancelOp x => new RunCancelRequested(id, t, Pick(x.Run)),
            AmendOp x => WithRun(x.Run, r => new ClaimsAmended(id, t, r, Token(r, x.Token), [.. x.Claims.Select(c => c.Text)])),
            AdvanceOp x => new BaseAdvanced(id, t, _base + x.BaseStep) { ChangedPaths = [.. x.Paths.Select(p => Paths[p])] },
            NamedBaseOp x => new NamedBaseAdvanced(id, t, Bases[x.Base], "v" + x.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture)) { ChangedPaths = [.. x.Paths.Select(p => Paths[p])] },
            ResourceOp x => new ResourceChanged(id, t, Resources[x.Resource], "v" + x.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            TickOp => new Tick(id, t),
            RecoverOp x => new Recovered(id, t) { AliveRunIds = Alive(x.AliveMask) },
            RepeatOp x => _log.Count == 0 ? new Tick(id, t) : _log[_log.Count - 1 - (x.Back % _log.Count)],
            GarbageOp x => Garbage(x.Kind, id, t),
            _ => throw new InvalidOperationException("unknown op " + op),
        };

        private PolicyEvent WithRun(RunRef run, Func<string, PolicyEvent> make) => make(Pick(run));

        private string FreeItem(int index)
        {
            HashSet<string> busy = [.. state.RunIds(s => s is RunStatus.Active or RunStatus.Pending or RunStatus.Held).Select(state.ItemOfRun)];
            List<string> free = [.. Items.Where(i => state.ItemStatusOf(i) == WorkItemStatus.Open && !busy.Contains(i))];
            return free.Count == 0 ? Items[index] : free[index % free.Count];
        }

        private static string ItemOrUnknown(int i) => i < Items.Length ? Items[i] : "z";

        private static ImmutableArray<string> LabelSet(int mask) =>
            [.. Labels.Where((_, i) => (mask & (1 << i)) != 0)];

        private string Pick(RunRef r)
        {
            List<string> candidates = r.Pick switch
            {
                RunPick.Active => state.RunIds(s => s == RunStatus.Active),
                RunPick.Waiting => state.RunIds(s => s.IsWaiting()),
                RunPick.Any => state.RunIds(),
                _ => [],
            };
            if (candidates.Count == 0 && r.Pick != RunPick.Named)
            {
                candidates = state.RunIds();
            }

            return candidates.Count == 0 ? RunIds[r.Index % RunIds.Length] : candidates[r.Index % candidates.Count];
        }

        private long Token(string run, TokenPick pick)
        {
            long token = state.TokenOf(run);
            return pick switch
            {
                TokenPick.Current => token,
                TokenPick.Stale => Math.Max(0, token - 1),
                _ => token + 5,
            };
        }

        private ImmutableArray<string> Alive(int mask)
        {
            List<string> active = state.RunIds(s => s == RunStatus.Active);
            var alive = active.Where((_, i) => (mask & (1 << (i % 6))) != 0).ToList();
            if ((mask & 0b1100_0000) == 0b1100_0000)
            {
                alive.Add("ghost");
            }

            return [.. alive];
        }

        private PolicyEvent? Garbage(int kind, string id, long t) => kind switch
        {
            0 => null,
            1 => new Tick(string.Empty, t),
            2 => new RunRequested(id, t, string.Empty, "a", ["write src/**"]),
            3 => new WorkItemAdded(id, t, "a") { DependsOn = [string.Empty] },
            4 => WithRun(FirstActive, r => new RunSucceeded(id, t, r, Token(r, TokenPick.Current), _base + 1) { ChangedPaths = [null!] }),
            5 => new Recovered(id, t) { AliveRunIds = [string.Empty] },
            6 => new BogusEvent(id, t),
            7 => new WorkItemAdded(id, t, "b") { Labels = [null!] },
            8 => new RunRequested(id, t, "r9", "a", [null!]),
            9 => WithRun(FirstActive, r => new ClaimsAmended(id, t, r, Token(r, TokenPick.Current), ["!src/**"])),
            10 => new DependencyAdded(id, t, "a", string.Empty),
            11 => new WorkItemChanged(id, t, "a") { Labels = [null!] },
            12 => new RunRequested(id, t, null!, null!, default),
            13 => new WorkItemAdded(id, t, null!) { DependsOn = default, Labels = default },
            14 => WithRun(FirstActive, r => new ClaimsAmended(id, t, r, Token(r, TokenPick.Current), default)),
            16 => new RunRequested(id, t, "r9", "a", ["write src/**"]) { Base = "main" },
            17 => new ResourceChanged(id, t, "schema:billing", string.Empty),
            18 => new RunRequested(id, t, "r9", "a", ["write src/**"]) { Assumes = [(t % 2 == 0) ? "no-version" : "schema:x@1", "schema:x@2"] },
            _ => extremeTimes ? new Tick(id, long.MaxValue - 1) : new BaseAdvanced(id, t, _base + 1) { ChangedPaths = default },
        };
    }
}
