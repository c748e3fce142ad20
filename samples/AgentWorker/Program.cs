using AgentWorker;
using ClaimGraph.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// AgentWorker: an orchestrator that runs "agents" as child processes on one repository, with ClaimGraph deciding which
// may run at the same time.
//
//   dotnet run --project samples/AgentWorker -- --repo /tmp/demo-repo [--tasks tasks.json] [--state state.json]
//
// The same program is the agent: "agent --repo DIR --run ID --edit PATH..." edits the files and prints what it changed.
if (args.Length > 0 && args[0] == "agent")
{
    return Agent.Run(args[1..]);
}

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
WorkerSettings settings = WorkerSettings.From(builder.Configuration);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton<DecisionFeed>();
builder.Services
    .AddClaimGraph(o =>
    {
        o.Policy = new PolicyOptions { LeaseDuration = (long)settings.Lease.TotalMilliseconds, BackoffBase = 500, BackoffCap = 2_000 };
        o.SnapshotPath = settings.StatePath;
    })
    .OnStarting((_, _) =>
    {
        Directory.CreateDirectory(settings.Repository); // startup work before the coordinator opens
        return Task.CompletedTask;
    })
    .AddDecisionObserver<DecisionFeed.Observer>();
builder.Services.AddHostedService<Orchestrator>();

using IHost host = builder.Build();
await host.RunAsync().ConfigureAwait(false);
return Environment.ExitCode;
