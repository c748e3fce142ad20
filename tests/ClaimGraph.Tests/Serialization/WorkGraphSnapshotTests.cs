using System.Collections.Immutable;
using System.Text;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;
using ClaimGraph.Serialization;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Serialization;

public partial class WorkGraphSnapshotTests
{
    private static WorkGraph Rich()
    {
        WorkGraph g = WorkGraph.Empty
            .AddWorkItem(new WorkItem("api") { Revision = 3, Labels = ["backend", "p1"], Priority = 2 }).Value
            .AddWorkItem(new WorkItem("db") { Status = WorkItemStatus.Done }).Value
            .AddWorkItem(new WorkItem("old") { Status = WorkItemStatus.Abandoned }).Value
            .Edges("api->db", "api->later");
        Run active = new Run("api#1", "api", ClaimSet.Parse("write src/api/**\nappend CHANGELOG.md\nread docs/**\n!src/api/gen/**"))
        {
            Priority = 2,
            RequestedAt = 100,
            Status = RunStatus.Active,
            AdmittedBase = 7,
            AdmittedUpstreamRevisions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("db", 4L)]),
            WorkspaceKey = "ws/api",
            LeaseExpiresAt = 5000,
            FencingToken = 3,
        }.AppendHistory(new RunHistoryEntry("e2", 120, DecisionKind.Hold, ReasonCode.ClaimConflict, "held behind db#1") { RelatedRunIds = ["db#1"], WitnessPath = "src/api/x" })
         .AppendHistory(new RunHistoryEntry("e3", 130, DecisionKind.Admit, ReasonCode.Admitted, "admitted") { Sequence = 2 });
        g = g.AddRun(active).Value;
        g = g.AddRun(new Run("db#1", "db", ClaimSet.Barrier) { Status = RunStatus.Succeeded, NotBefore = 50, Failures = 2, PreviousRunId = "db#0" }).Value;
        g = g.AddRun(new Run("old#1", "old", ClaimSet.Parse("write Docs/**", GlobOptions.IgnoreCase)) { Status = RunStatus.Held, ReservesPlace = true, Attempt = 2 }).Value;
        g = g.AdvanceBase(7, ["src/db/schema.sql"], "db#1").Value.AdvanceBase(9, []).Value;
        return g.MarkEventProcessed("e1").MarkEventProcessed("e2").IssueFencingToken(out _);
    }

    [Fact]
    public void SaveLoad_RichGraph_Equal()
    {
        WorkGraph g = Rich();
        WorkGraph loaded = WorkGraphSnapshot.Load(WorkGraphSnapshot.Save(g));
        Assert.Equal(g, loaded);
        Assert.Equal(g.GetHashCode(), loaded.GetHashCode());
        Assert.Equal(g.ReadyWorkItems, loaded.ReadyWorkItems);
        Assert.Equal(g.IndexedRunIds, loaded.IndexedRunIds);
        Assert.Equal(g.NextFencingToken, loaded.NextFencingToken);
        Assert.True(loaded.Runs["old#1"].Claims.Entries[0].Pattern.IgnoreCase);
    }

    [Fact]
    public void Save_EqualGraphs_IdenticalBytes()
    {
        WorkGraph g = Rich();
        WorkGraph h = g.ToBuilder().ToGraph();
        Assert.Equal(WorkGraphSnapshot.SaveToUtf8Bytes(g), WorkGraphSnapshot.SaveToUtf8Bytes(h));
        Assert.Equal(WorkGraphSnapshot.Save(g, indented: true), WorkGraphSnapshot.Save(h, indented: true));
    }

    [Fact]
    public void Save_Indented_ReadableAndLoadable()
    {
        string json = WorkGraphSnapshot.Save(Rich(), indented: true);
        Assert.Contains("\n  \"format\": \"claimgraph.workgraph\",\n  \"version\": 1,", json, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"Abandoned\"", json, StringComparison.Ordinal);
        Assert.Contains("\"claims\": \"write src/api/**\\nappend CHANGELOG.md\\nread docs/**\\n!src/api/gen/**\\n\"", json, StringComparison.Ordinal);
        Assert.Equal(Rich(), WorkGraphSnapshot.Load(json));
    }

    [Fact]
    public void SaveLoad_Streams_Equal()
    {
        using var stream = new MemoryStream();
        WorkGraphSnapshot.Save(Rich(), stream);
        stream.Position = 0;
        Assert.Equal(Rich(), WorkGraphSnapshot.Load(stream));
    }

    [Fact]
    public void Load_RunsWithSameClaimText_ShareOneParsedSet()
    {
        WorkGraph g = Items("a", "b")
            .AddRun(new Run("r1", "a", ClaimSet.Parse("write src/**"))).Value
            .AddRun(new Run("r2", "b", ClaimSet.Parse("write src/**"))).Value;
        WorkGraph loaded = WorkGraphSnapshot.Load(WorkGraphSnapshot.Save(g));
        Assert.Same(loaded.Runs["r1"].Claims, loaded.Runs["r2"].Claims);
        Assert.Equal(g, loaded);
    }

    [Fact]
    public void SaveLoad_Empty_Equal()
    {
        Assert.Equal(WorkGraph.Empty, WorkGraphSnapshot.Load(WorkGraphSnapshot.Save(WorkGraph.Empty)));
    }

    [Fact]
    public void SaveLoad_MixedIgnoreCaseClaims_Equal()
    {
        ClaimSet claims = ClaimSet.CreateBuilder()
            .Add(ClaimMode.Write, "src/**", GlobOptions.IgnoreCase)
            .Add(ClaimMode.Read, "docs/**")
            .Exclude("src/Gen/**", GlobOptions.IgnoreCase)
            .ToClaimSet();
        WorkGraph g = Items("a").AddRun(new Run("r", "a", claims)).Value;
        string json = WorkGraphSnapshot.Save(g);
        Assert.Contains("\"claimsIgnoreCase\":\"101\"", json, StringComparison.Ordinal);
        Assert.Equal(g, WorkGraphSnapshot.Load(json));
    }

    [Theory]
    [InlineData("", SnapshotErrorCode.InvalidJson)]
    [InlineData("{", SnapshotErrorCode.InvalidJson)]
    [InlineData("{\"format\":\"claimgraph.workgraph\",\"version\":1} trailing", SnapshotErrorCode.InvalidJson)]
    [InlineData("[1,2]", SnapshotErrorCode.WrongFormat)]
    [InlineData("{\"version\":1}", SnapshotErrorCode.WrongFormat)]
    [InlineData("{\"format\":\"other\",\"version\":1}", SnapshotErrorCode.WrongFormat)]
    [InlineData("{\"format\":\"claimgraph.workgraph\"}", SnapshotErrorCode.MissingVersion)]
    [InlineData("{\"format\":\"claimgraph.workgraph\",\"version\":\"1\"}", SnapshotErrorCode.MissingVersion)]
    [InlineData("{\"format\":\"claimgraph.workgraph\",\"version\":0}", SnapshotErrorCode.UnsupportedVersion)]
    [InlineData("{\"format\":\"claimgraph.workgraph\",\"version\":1}", SnapshotErrorCode.SchemaMismatch)]
    public void TryLoad_BadDocument_TypedError(string json, SnapshotErrorCode code)
    {
        Assert.False(WorkGraphSnapshot.TryLoad(json, out WorkGraph? graph, out SnapshotError? error));
        Assert.Null(graph);
        Assert.Equal(code, error.Code);
        Assert.NotNull(error.Hint);
        Assert.Equal(code, Assert.Throws<WorkGraphSnapshotException>(() => WorkGraphSnapshot.Load(json)).Code);
    }

    [Fact]
    public void TryLoad_FutureVersion_UnsupportedWithUpgradeHint()
    {
        // A future version may change everything else; only format and version are read.
        string json = "{\"format\":\"claimgraph.workgraph\",\"version\":2,\"workItems\":{\"new\":\"shape\"}}";
        Assert.False(WorkGraphSnapshot.TryLoad(json, out _, out SnapshotError? error));
        Assert.Equal(SnapshotErrorCode.UnsupportedVersion, error.Code);
        Assert.Equal("$.version", error.Path);
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_Truncated_LineAndPosition()
    {
        string json = WorkGraphSnapshot.Save(Rich(), indented: true);
        string cut = json[..(json.Length / 2)];
        Assert.False(WorkGraphSnapshot.TryLoad(cut, out _, out SnapshotError? error));
        Assert.Equal(SnapshotErrorCode.InvalidJson, error.Code);
        Assert.NotNull(error.Line);
        Assert.True(error.Line > 10);
        Assert.NotNull(error.Position);
    }

    [Fact]
    public void TryLoad_WrongType_SchemaMismatchWithPath()
    {
        string json = Replace("\"priority\": 2,", "\"priority\": \"high\",");
        Assert.False(WorkGraphSnapshot.TryLoad(json, out _, out SnapshotError? error));
        Assert.Equal(SnapshotErrorCode.SchemaMismatch, error.Code);
        Assert.Equal("$.workItems[0].priority", error.Path);
        Assert.NotNull(error.Line);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_UnknownProperty_SchemaMismatch()
    {
        string json = Replace("\"revision\": 3,", "\"revision\": 3, \"colour\": \"red\",");
        Assert.False(WorkGraphSnapshot.TryLoad(json, out _, out SnapshotError? error));
        Assert.Equal(SnapshotErrorCode.SchemaMismatch, error.Code);
        Assert.Contains("colour", error.Message + error.Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"id\": \"api\",", "\"id\": \"\",", SnapshotErrorCode.InvalidValue, "$.workItems[0].id")]
    [InlineData("\"revision\": 3,", "\"revision\": -3,", SnapshotErrorCode.InvalidValue, "$.workItems[0].revision")]
    [InlineData("\"status\": \"Abandoned\"", "\"status\": 9", SnapshotErrorCode.InvalidValue, "$.workItems[2].status")]
    [InlineData("\"id\": \"old\",", "\"id\": \"db\",", SnapshotErrorCode.DuplicateId, "$.workItems[2].id")]
    [InlineData("\"id\": \"old#1\",", "\"id\": \"db#1\",", SnapshotErrorCode.DuplicateId, "$.runs[2].id")]
    [InlineData("\"workItemId\": \"old\",", "\"workItemId\": \"gone\",", SnapshotErrorCode.UnknownWorkItem, "$.runs[2].workItemId")]
    [InlineData("\"claims\": \"write Docs/**\\n\",", "\"claims\": \"write a//b\\n\",", SnapshotErrorCode.InvalidClaims, "$.runs[2].claims")]
    [InlineData("\"attempt\": 2,", "\"attempt\": 0,", SnapshotErrorCode.InvalidValue, "$.runs[2].attempt")]
    [InlineData("\"kind\": \"Admit\",", "\"kind\": 99,", SnapshotErrorCode.InvalidValue, "$.runs[0].history[1].kind")]
    [InlineData("\"runId\": \"db#1\"", "\"runId\": \"zz\"", SnapshotErrorCode.UnknownRun, "$.mergedChanges[0].runId")]
    [InlineData("\"version\": 9,", "\"version\": 7,", SnapshotErrorCode.InvalidValue, "$.mergedChanges[1].version")]
    [InlineData("\"baseVersion\": 9,", "\"baseVersion\": 8,", SnapshotErrorCode.InvalidValue, "$.baseVersion")]
    [InlineData("\"nextFencingToken\": 5,", "\"nextFencingToken\": 0,", SnapshotErrorCode.InvalidValue, "$.nextFencingToken")]
    [InlineData("\"dependsOn\": [", "\"dependsOn\": [\"\",", SnapshotErrorCode.InvalidValue, "$.workItems[0].dependsOn[0]")]
    [InlineData("\"id\": \"db\",", "\"id\": \"db\", \"dependsOn\": [\"api\"],", SnapshotErrorCode.DependencyCycle, "$.workItems")]
    public void TryLoad_InvalidContent_TypedErrorAtPath(string find, string replace, SnapshotErrorCode code, string path)
    {
        string json = Replace(find, replace);
        Assert.False(WorkGraphSnapshot.TryLoad(json, out WorkGraph? graph, out SnapshotError? error));
        Assert.Null(graph);
        Assert.Equal(code, error.Code);
        Assert.Equal(path, error.Path);
        Assert.NotNull(error.Hint);
        Assert.Contains(path, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_Utf8Bytes_SameAsText()
    {
        byte[] bytes = WorkGraphSnapshot.SaveToUtf8Bytes(Rich());
        Assert.True(WorkGraphSnapshot.TryLoad(bytes, out WorkGraph? g, out _));
        Assert.Equal(Rich(), g);
        Assert.Equal(Rich(), WorkGraphSnapshot.Load(Encoding.UTF8.GetString(bytes)));
    }

    [Fact]
    public void Arguments_Null_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => WorkGraphSnapshot.Save(null!));
        Assert.Throws<ArgumentNullException>(() => WorkGraphSnapshot.Save(WorkGraph.Empty, (Stream)null!));
        Assert.Throws<ArgumentNullException>(() => WorkGraphSnapshot.Load((string)null!));
        Assert.Throws<ArgumentNullException>(() => WorkGraphSnapshot.Load((Stream)null!));
    }

    [Fact]
    public void SnapshotError_ToString_HasEverything()
    {
        var e = new SnapshotError(SnapshotErrorCode.SchemaMismatch, "Bad.", "$.x", 3, 4, "Fix it.");
        Assert.Equal("SchemaMismatch: Bad. (at $.x, line 3, position 4); Fix it.", e.ToString());
        Assert.Equal("InvalidJson: Bad. (at line 1, position 2)", new SnapshotError(SnapshotErrorCode.InvalidJson, "Bad.", null, 1, 2, null).ToString());
    }

    private static string Replace(string find, string replace)
    {
        string json = WorkGraphSnapshot.Save(Rich(), indented: true);
        Assert.Contains(find, json, StringComparison.Ordinal);
        int at = json.IndexOf(find, StringComparison.Ordinal);
        return string.Concat(json.AsSpan(0, at), replace, json.AsSpan(at + find.Length));
    }
}
