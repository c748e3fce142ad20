using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Benchmarks.Policy;

/// <summary>
/// Issue #16, "holds that grow without bound": with strict reservation, an active run on <c>src/**</c>, then N runs that
/// conflict with each other (all write <c>src/shared.txt</c>), each requested in its own step with a higher priority than
/// the one before, so each lands ahead of every held run. The whole scenario (N + 3 steps) through
/// <see cref="ClaimPolicy.Step"/>, every decision written as JSON (as <c>claimgraph decide --json</c> does); the result
/// is the number of JSON bytes.
/// </summary>
/// <remarks>
/// The baseline, <see cref="EmitEveryChange"/>, is the rule before #16 replayed beside the same policy: after each step,
/// every held run whose blockers changed is announced again with all of them (<see cref="HoldBlockers.Of"/>), as a Hold
/// was emitted whenever its message changed; the policy's own Holds are not written. Setup checks that the policy emits one Hold per
/// request step and prints its output size; the baseline's sizes (313,653,727 bytes at N = 150, 5,856,926,102 at
/// N = 400) were printed by a former setup that ran it once more.
/// </remarks>
[MemoryDiagnoser]
public class HoldGrowthBenchmarks
{
    private static readonly PolicyOptions Options = PolicyOptions.Default with { Reservation = ReservationMode.Strict };

    private List<PolicyEvent[]> _steps = null!;

    /// <summary>
    /// The sizes measured: 150 and 400 held runs. The CI smoke run (environment variable
    /// <c>CLAIMGRAPH_BENCH_SMOKE=1</c>) only checks that the benchmark runs, so it takes 150 alone: the baseline at 400
    /// takes minutes and tens of gigabytes of allocation.
    /// </summary>
    public static IEnumerable<int> Sizes =>
        Environment.GetEnvironmentVariable("CLAIMGRAPH_BENCH_SMOKE") == "1" ? [150] : [150, 400];

    [ParamsSource(nameof(Sizes))]
    public int HeldRuns { get; set; }

    /// <summary>Builds the scenario, checks that the policy emits one Hold per request step, and prints the output size.</summary>
    [GlobalSetup(Target = nameof(Decide))]
    public void SetupDecide()
    {
        SetupBaseline();
        long holds = 0;
        WorkGraph g = WorkGraph.Empty;
        foreach (PolicyEvent[] step in _steps)
        {
            PolicyStepResult result = ClaimPolicy.Step(g, step, Options);
            holds += result.Decisions.Count(d => d is HoldDecision);
            g = result.Graph;
        }

        if (holds != HeldRuns)
        {
            throw new InvalidOperationException($"expected {HeldRuns} Holds, one per request, the policy emitted {holds}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// HeldRuns={HeldRuns}: decision JSON {Decide()} bytes"));
    }

    /// <summary>Builds the scenario. (At N = 400 one baseline run takes minutes, so setup does not run it to print its size.)</summary>
    [GlobalSetup(Target = nameof(EmitEveryChange))]
    public void SetupBaseline() => _steps = Scenario(HeldRuns);

    [Benchmark(Baseline = true)]
    public long EmitEveryChange()
    {
        using var sink = new CountingStream();
        using var w = new Utf8JsonWriter(sink);
        var last = new Dictionary<string, ImmutableArray<HoldReason>>(StringComparer.Ordinal);
        WorkGraph g = WorkGraph.Empty;
        foreach (PolicyEvent[] step in _steps)
        {
            PolicyStepResult result = ClaimPolicy.Step(g, step, Options);
            g = result.Graph;
            foreach (Decision d in result.Decisions)
            {
                if (d is not HoldDecision)
                {
                    Write(w, d);
                }
            }

            foreach (Run run in g.AdmissionQueue)
            {
                ImmutableArray<HoldReason> reasons = HoldBlockers.Of(g, run.Id, Options);
                if (run.Status == RunStatus.Held && (!last.TryGetValue(run.Id, out ImmutableArray<HoldReason> before) || !before.SequenceEqual(reasons)))
                {
                    last[run.Id] = reasons;
                    Write(w, new HoldDecision(step[0].EventId, run.Id, reasons));
                }
            }
        }

        w.Flush();
        return sink.Length;
    }

    [Benchmark]
    public long Decide()
    {
        using var sink = new CountingStream();
        using var w = new Utf8JsonWriter(sink);
        WorkGraph g = WorkGraph.Empty;
        foreach (PolicyEvent[] step in _steps)
        {
            PolicyStepResult result = ClaimPolicy.Step(g, step, Options);
            g = result.Graph;
            foreach (Decision d in result.Decisions)
            {
                Write(w, d);
            }
        }

        w.Flush();
        return sink.Length;
    }

    /// <summary>The scenario's steps (as hold{N}.json in the CLI measurement of issue #16).</summary>
    public static List<PolicyEvent[]> Scenario(int heldRuns)
    {
        var items = new List<PolicyEvent> { new WorkItemAdded("add-a", 0, "a") };
        for (int i = 0; i < heldRuns; i++)
        {
            items.Add(new WorkItemAdded(Id("add-", i), 0, Id("w", i)));
        }

        PolicyEvent[] active = [new RunRequested("req-a", 1, "a-1", "a", ["write src/**"])];
        var steps = new List<PolicyEvent[]> { items.ToArray(), active };
        for (int i = 0; i < heldRuns; i++)
        {
            string corner = "write src/" + Id("m", i) + "/**";
            var request = new RunRequested(Id("req-", i), 10 + i, Id("r", i), Id("w", i), [corner, "write src/shared.txt"]) { Priority = i };
            steps.Add([request]);
        }

        return steps;
    }

    private static string Id(string prefix, int i) => prefix + i.ToString("D4", CultureInfo.InvariantCulture);

    private static void Write(Utf8JsonWriter w, Decision d)
    {
        PolicyJson.WriteDecision(w, d);
        w.Flush();
        w.Reset();
    }

    /// <summary>A write-only stream that counts bytes and keeps none.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
