using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using ClaimGraph;
using ClaimGraph.Coordination;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using Microsoft.Extensions.Hosting;

namespace AgentWorker;

/// <summary>
/// Requests a run for every task, starts each run the policy admits as an agent process, heartbeats it while it runs,
/// reports its success with the paths it changed (or its failure), and stops the host when no run is waiting or active.
/// </summary>
internal sealed class Orchestrator(IClaimCoordinator coordinator, DecisionFeed feed, WorkerSettings settings, TimeProvider time, IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _agents = [];
    private readonly SemaphoreSlim _results = new(1, 1);

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public override void Dispose()
    {
        _results.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RequestRunsAsync(stoppingToken).ConfigureAwait(false);
            await foreach (ImmutableArray<Decision> decisions in feed.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (Decision decision in decisions)
                {
                    Handle(decision, stoppingToken);
                }

                WorkGraph graph = coordinator.Current.Graph;
                if (graph.ActiveRunCount == 0 && graph.AdmissionQueue.Count == 0)
                {
                    break;
                }
            }

            await Task.WhenAll(_agents).ConfigureAwait(false);
            Environment.ExitCode = Summarise(coordinator.Current.Graph) ? 0 : 1;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Environment.ExitCode = 1;
        }

        lifetime.StopApplication();
    }

    /// <summary>Adds every task's work item and requests its first run; after a restart, orphans the runs that were active.</summary>
    private async Task RequestRunsAsync(CancellationToken cancellationToken)
    {
        WorkGraph graph = coordinator.Current.Graph;
        long now = Now;
        var events = new List<PolicyEvent>();
        if (graph.ActiveRunCount > 0)
        {
            // Their agents died with the previous process: the policy cancels and retries them.
            events.Add(new Recovered($"recovered-{now}", now));
        }

        foreach (AgentTask task in settings.Tasks)
        {
            events.Add(new WorkItemAdded($"{task.Id}-added", now, task.Id) { DependsOn = [.. task.DependsOn ?? []] });
            events.Add(new RunRequested($"{task.Id}-requested", now, task.Id + "#1", task.Id, [.. task.Claims]));
        }

        await coordinator.AppendAsync(events, cancellationToken).ConfigureAwait(false);
    }

    private void Handle(Decision decision, CancellationToken stoppingToken)
    {
        Console.WriteLine($"decision: {decision.Kind} {decision.RunId} {decision.Reason}: {decision.Message}");
        switch (decision)
        {
            case AdmitDecision { Reason: ReasonCode.Admitted } admit:
                var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                _running[admit.RunId!] = stop;
                _agents.Add(Task.Run(() => SuperviseAsync(admit, stop.Token), CancellationToken.None));
                break;
            case CancelDecision cancel when _running.TryRemove(cancel.RunId!, out CancellationTokenSource? running):
                running.Cancel(); // the policy says the run must stop: kill its agent
                break;
        }
    }

    /// <summary>Runs one admitted run's agent to the end, heartbeating it meanwhile, and reports the result.</summary>
    private async Task SuperviseAsync(AdmitDecision admit, CancellationToken stop)
    {
        string runId = admit.RunId!;
        AgentTask task = settings.Tasks.Single(t => t.Id == coordinator.Current.Graph.Runs[runId].WorkItemId);
        using Process agent = Process.Start(AgentCommand(runId, task))!;
        Task<string> output = agent.StandardOutput.ReadToEndAsync(CancellationToken.None);
        using var beating = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task heartbeats = HeartbeatAsync(admit, beating.Token);
        try
        {
            await agent.WaitForExitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            agent.Kill(entireProcessTree: true);
            return;
        }
        finally
        {
            await beating.CancelAsync().ConfigureAwait(false);
            await heartbeats.ConfigureAwait(false);
            _running.TryRemove(runId, out _);
        }

        string[] changed = [.. (await output.ConfigureAwait(false)).Split('\n')
            .Where(line => line.StartsWith("changed: ", StringComparison.Ordinal))
            .Select(line => line["changed: ".Length..].TrimEnd('\r'))];
        Console.WriteLine($"agent: {runId} exited with {agent.ExitCode}, changed {string.Join(", ", changed)}");
        await _results.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // One result at a time, so that base versions are reported in the order they are made.
            long now = Now;
            PolicyEvent result = agent.ExitCode == 0
                ? new RunSucceeded($"{runId}-succeeded", now, runId, admit.FencingToken, coordinator.Current.Graph.BaseVersion + 1) { ChangedPaths = [.. changed] }
                : new RunFailed($"{runId}-failed", now, runId, admit.FencingToken, Transient: true) { Message = $"the agent exited with {agent.ExitCode}" };
            await coordinator.AppendAsync([result], CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _results.Release();
        }
    }

    /// <summary>Extends the run's lease while its agent works.</summary>
    private async Task HeartbeatAsync(AdmitDecision admit, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(settings.Heartbeat, time);
        try
        {
            for (int n = 1; await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false); n++)
            {
                long now = Now;
                await coordinator.AppendAsync([new RunHeartbeat($"{admit.RunId}-heartbeat-{n}", now, admit.RunId!, admit.FencingToken)], cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"heartbeat: {admit.RunId} {n}");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The agent exited.
        }
    }

    /// <summary>This program again, in agent mode.</summary>
    private ProcessStartInfo AgentCommand(string runId, AgentTask task)
    {
        string host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (string argument in (string[])["agent", "--repo", settings.Repository, "--run", runId, "--delay-ms", ((long)settings.AgentDelay.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string edit in task.Edits)
        {
            start.ArgumentList.Add("--edit");
            start.ArgumentList.Add(edit);
        }

        return start;
    }

    /// <summary>Prints each task's outcome; true when every task's work item is done.</summary>
    private bool Summarise(WorkGraph graph)
    {
        int done = 0;
        foreach (AgentTask task in settings.Tasks)
        {
            WorkItemStatus status = graph.WorkItems[task.Id].Status;
            done += status == WorkItemStatus.Done ? 1 : 0;
            Console.WriteLine($"task: {task.Id} {status}");
        }

        Console.WriteLine($"summary: {done} of {settings.Tasks.Count} tasks done");
        return done == settings.Tasks.Count;
    }
}
