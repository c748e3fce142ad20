namespace AgentWorker;

/// <summary>
/// The "agent": edits the files it is told to (appending a line, creating them when new), waits a little as real
/// work would, and prints each changed path as <c>changed: PATH</c> for the orchestrator to report.
/// </summary>
internal static class Agent
{
    public static int Run(string[] args)
    {
        string? repository = null;
        string? run = null;
        int delay = 0;
        var edits = new List<string>();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--repo": repository = args[i + 1]; break;
                case "--run": run = args[i + 1]; break;
                case "--edit": edits.Add(args[i + 1]); break;
                case "--delay-ms": delay = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"agent: unknown option {args[i]}"); return 2;
            }
        }

        if (repository is null || run is null)
        {
            Console.Error.WriteLine("agent: --repo and --run are required");
            return 2;
        }

        Thread.Sleep(delay);
        foreach (string path in edits)
        {
            string file = Path.Combine(repository, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.AppendAllText(file, $"edited by {run}\n");
            Console.WriteLine($"changed: {path}");
        }

        return 0;
    }
}
