using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace AgentWorker;

/// <summary>One agent task: a work item, the claims its run declares, the files its agent edits, its dependencies.</summary>
internal sealed record AgentTask(string Id, string[] Claims, string[] Edits, string[]? DependsOn);

/// <summary>
/// The worker's settings, from the command line: <c>--repo</c>, <c>--tasks</c>, <c>--state</c>, <c>--agent-delay-ms</c>
/// (how long each agent works, default 300) and <c>--lease-ms</c> (how long a run lives without a heartbeat, default 3000).
/// </summary>
internal sealed record WorkerSettings(string Repository, IReadOnlyList<AgentTask> Tasks, string? StatePath, TimeSpan AgentDelay, TimeSpan Lease)
{
    /// <summary>How often a running agent's run is heartbeated: three times per lease.</summary>
    public TimeSpan Heartbeat => Lease / 3;

    public static WorkerSettings From(IConfiguration configuration)
    {
        string repository = configuration["repo"] ?? throw new ArgumentException("--repo DIR is required: the repository the agents edit.");
        string tasksPath = configuration["tasks"] ?? Path.Combine(AppContext.BaseDirectory, "tasks.json");
        AgentTask[] tasks = JsonSerializer.Deserialize(File.ReadAllText(tasksPath), SampleJson.Default.AgentTaskArray)
            ?? throw new ArgumentException($"{tasksPath} holds no tasks.");
        int delay = int.Parse(configuration["agent-delay-ms"] ?? "300", System.Globalization.CultureInfo.InvariantCulture);
        int lease = int.Parse(configuration["lease-ms"] ?? "3000", System.Globalization.CultureInfo.InvariantCulture);
        return new WorkerSettings(Path.GetFullPath(repository), tasks, configuration["state"], TimeSpan.FromMilliseconds(delay), TimeSpan.FromMilliseconds(lease));
    }
}
